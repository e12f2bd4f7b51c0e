import { openWarehouse } from "/work/wt/i17/lib/warehouse/mod.ts";
try { await openWarehouse("mysql://workbench:workbench@127.0.0.1:3306/wb_i17_sv?no_such_var=1"); } catch (e) { console.log((e as Error).message); }
try { await openWarehouse("mysql://workbench:wrong@127.0.0.1:3306/wb_i17_sv"); } catch (e) { console.log((e as Error).message); }
