"""`ember shell` as a person uses it, typed into a real terminal (tmux): the
banner, a job's result, a failing task's traceback with the shell going on,
and Ctrl-D leaving no process behind, in IPython's prompt and the plain one;
then `-c CODE` (its exit status) with --py-files and --name, and
$PYTHONSTARTUP in the plain prompt."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid

import psutil
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMBER = os.environ.get("EMBER_EXECUTABLE", os.path.join(ROOT, "build", "ember"))
DEADLINE = 120  # seconds any one expected screen may take on a loaded machine


class Terminal:
    """A 200x50 tmux window of its own (a private tmux server) running argv."""

    def __init__(self, argv, env):
        self.socket = "ember-shell-test-" + uuid.uuid4().hex[:8]
        self._tmux("new-session", "-d", "-x", "200", "-y", "50", "-s", "t", "--", *argv, env=env)

    def _tmux(self, *args, env=None, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], env=env, check=check,
                              capture_output=True, text=True)

    def screen(self):
        return self._tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "t").stdout

    def type(self, *keys):
        self._tmux("send-keys", "-t", "t", *keys)

    def wait_for(self, text, after=""):
        """The screen once `text` appears after the last `after` on it."""
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen[screen.rfind(after):] if after else text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError("no %r on the screen:\n%s" % (text, self.screen()))

    def processes(self):
        pid = int(self._tmux("display-message", "-p", "-t", "t", "#{pane_pid}").stdout)
        shell = psutil.Process(pid)
        return [shell] + shell.children(recursive=True)

    def close(self):
        self._tmux("kill-server", check=False)


def _gone(process):
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_gone(processes):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        alive = [p for p in processes if not _gone(p)]
        if not alive:
            return
        time.sleep(0.1)
    raise AssertionError("still running after Ctrl-D: %s" % [p.cmdline() for p in alive])


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    return dict(env, TERM="xterm", PYTHON=sys.executable, **extra)


@pytest.mark.parametrize("mode,prompt", [("ipython", "In ["), ("plain", ">>> ")])
def test_a_session_runs_jobs_survives_a_failing_task_and_ctrl_d_ends_it(mode, prompt):
    if mode == "ipython":
        pytest.importorskip("IPython")
    argv = [EMBER, "shell", "--master", "local[2]"] + (["--no-ipython"] if mode == "plain" else [])
    term = Terminal(argv, _env())
    try:
        screen = term.wait_for(prompt)
        assert "Welcome to ember 0.1.0" in screen
        assert "Using Python version %d.%d" % sys.version_info[:2] in screen
        assert "SparkContext available as 'sc' (master = local[2], app id = " in screen
        ui = re.search(r"Web UI available at (http://127\.0\.0\.1:\d+)", screen)
        app_id = re.search(r"app id = ([\w-]+)", screen)
        with urllib.request.urlopen(ui.group(1) + "/api/v1/applications", timeout=30) as answer:
            assert json.load(answer)[0]["id"] == app_id.group(1)  # the banner's UI is this shell's
        term.type("sc.parallelize(range(100)).sum()", "Enter")
        term.wait_for("4950", after="sc.parallelize(range(100)).sum()")
        term.type("sc.parallelize([1, 2]).map(lambda x: x // 0).collect()", "Enter")
        screen = term.wait_for("ZeroDivisionError", after="x // 0).collect()")
        assert "Traceback" in screen[screen.rfind("x // 0).collect()"):]
        term.type("print('still', 6 * 7)", "Enter")
        term.wait_for("still 42", after="print('still'")
        processes = term.processes()
        assert any("ember.daemon" in " ".join(p.cmdline()) for p in processes)  # the workers' daemon
        term.type("C-d")
        _wait_gone(processes)
    finally:
        term.close()


def test_the_plain_prompt_runs_pythonstartup_first(tmp_path):
    startup = tmp_path / "startup.py"
    startup.write_text("from_startup = sc.parallelize(range(5)).count() * 10\n")
    argv = [EMBER, "shell", "--master", "local[2]", "--no-ipython"]
    term = Terminal(argv, _env(PYTHONSTARTUP=str(startup)))
    try:
        term.wait_for(">>> ")
        term.type("from_startup + 1", "Enter")
        term.wait_for("51", after="from_startup + 1")
    finally:
        term.close()


def _shell_c(tmp_path, master, code, *options):
    return subprocess.run([EMBER, "shell", "--master", master, *options, "-c", code],
                          cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("master", ["local[2]", "local-cluster[2,1,1024]"])
def test_c_runs_code_with_py_files_importable_on_the_driver_and_in_tasks(tmp_path, master):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "helper.py").write_text("def triple(x):\n    return 3 * x\n")
    code = ("import helper\n"
            "print(sc.appName, helper.triple(2), sc.parallelize([1, 2]).map(helper.triple).collect())")
    run = _shell_c(tmp_path, master, code, "--py-files", str(lib / "helper.py"), "--name", "tripler")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "tripler 6 [3, 6]\n"


def test_c_exits_with_the_code_s_status(tmp_path):
    assert _shell_c(tmp_path, "local[2]", "import sys; sys.exit(3)").returncode == 3
    failed = _shell_c(tmp_path, "local[2]", "sc.parallelize([0]).map(lambda x: 1 // x).collect()")
    assert failed.returncode == 1
    assert "ZeroDivisionError" in failed.stderr and 'File "<string>", line 1' in failed.stderr
    missing = _shell_c(tmp_path, "local[2]", "pass", "--py-files", str(tmp_path / "nope.py"))
    assert missing.returncode != 0 and "nope.py" in missing.stderr
