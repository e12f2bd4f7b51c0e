"""An nbconvert preprocessor that executes a notebook like ``--execute`` and also keeps a cell's late outputs.

The Deno kernel (2.9) publishes ``Deno.jupyter.display`` messages through a queue that its "idle" status can
overtake, so a cell's last displays (a progress table's final state, a chart) often arrive just after the
cell is reported done, and nbclient drops them. This waits, after each cell's idle, until the kernel has been
quiet for ``late_output_quiet`` seconds, and keeps what arrives for that cell.

Used by ``deno task notebooks`` and the notebook tests (``lib/notebook/inspect_notebook.ts``, nbconvertArgs)::

    PYTHONPATH=tasks/jupyter jupyter nbconvert --to notebook \\
        --NotebookExporter.preprocessors='["late_output.LateOutputExecutePreprocessor"]' \\
        --LateOutputExecutePreprocessor.kernel_name=deno notebook.ipynb
"""

import queue

from nbclient.exceptions import CellExecutionComplete, CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output

try:
    from nbclient.util import ensure_async
except ImportError:  # newer nbclient releases keep it in jupyter_core only
    from jupyter_core.utils import ensure_async
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Bool, Float


class LateOutputExecutePreprocessor(ExecutePreprocessor):
    enabled = Bool(True).tag(config=True)
    late_output_quiet = Float(
        0.3, help="Seconds without a message, after a cell's idle status, before moving on"
    ).tag(config=True)
    keep_partial = Bool(
        True,
        help="On a cell's error, timeout or a dead kernel, stop there and still write the notebook (the failed "
        "cell keeps its error output, later cells stay unexecuted), so that it and its HTML can be looked at",
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if not self.keep_partial:
            return super().preprocess_cell(cell, resources, index)
        if self.nb.metadata.get("workbench_failed_cell") is not None:
            return cell, self.resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except CellExecutionError:
            pass  # the cell holds its error output already
        except (CellTimeoutError, DeadKernelError) as error:
            cell.setdefault("outputs", []).append(
                new_output("error", ename=type(error).__name__, evalue=str(error).strip().split("\n")[0], traceback=[])
            )
        self.nb.metadata["workbench_failed_cell"] = index
        return cell, self.resources

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=self.late_output_quiet))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass
