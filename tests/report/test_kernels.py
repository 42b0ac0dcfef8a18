"""The report kernels: started quietly, over Unix sockets that are removed with the kernel."""

from __future__ import annotations

from pathlib import Path

from helpers.report import kernels


def test_a_report_kernel_starts_without_the_unencrypted_tcp_warning(capfd, tmp_path):
    from jupyter_core.utils import run_sync

    km = kernels._start_kernel(str(tmp_path))
    try:
        assert kernels._reset_session(km) is None  # the kernel answers over its sockets
        sockets = sorted(Path(km.ip).parent.glob(Path(km.ip).name + "-*"))
        assert sockets, f"no IPC socket files at {km.ip}"
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    assert km.transport == "ipc"
    assert "without encryption" not in capfd.readouterr().err
    assert not [path for path in sockets if path.exists()]
