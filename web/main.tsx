/// <reference lib="dom" />
// @ts-types="@types/react-dom/client"
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";

createRoot(document.getElementById("root")!).render(<App />);
