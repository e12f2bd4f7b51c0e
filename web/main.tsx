/// <reference lib="dom" />
// @ts-types="@types/react-dom/client"
import { createRoot } from "react-dom/client";
import { Shell } from "./shell.tsx";

createRoot(document.getElementById("root")!).render(<Shell />);
