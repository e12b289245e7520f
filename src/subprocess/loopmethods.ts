/**
 * The process and signal methods of EventLoop (asyncio's loop.subprocess_exec,
 * subprocess_shell, add_signal_handler, remove_signal_handler), added to EventLoop's
 * prototype and declared on its type. `src/index.ts` imports this module.
 */

import { EventLoop } from "../core/loop.ts";
import { addSignalHandler, removeSignalHandler } from "./signals.ts";
import { subprocessExec, subprocessShell } from "./subprocess.ts";

declare module "../core/loop.ts" {
  interface EventLoop {
    /** See {@link subprocessExec}. */
    subprocessExec: typeof subprocessExec;
    /** See {@link subprocessShell}. */
    subprocessShell: typeof subprocessShell;
    /** See {@link addSignalHandler}. */
    addSignalHandler: typeof addSignalHandler;
    /** See {@link removeSignalHandler}. */
    removeSignalHandler: typeof removeSignalHandler;
  }
}

EventLoop.prototype.subprocessExec = subprocessExec;
EventLoop.prototype.subprocessShell = subprocessShell;
EventLoop.prototype.addSignalHandler = addSignalHandler;
EventLoop.prototype.removeSignalHandler = removeSignalHandler;
