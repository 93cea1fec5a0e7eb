#!/usr/bin/env python3
"""Self-test of powercutfs.py: mounts it on temporary directories, simulates
power cuts and checks that exactly the durable state is left behind.

    python3 tests/powercut/selftest.py [--python PYTHON_WITH_FUSEPY] [CASE ...]

Stdlib only; the filesystem itself runs under --python (default: this
interpreter, or $POWERCUTFS_PYTHON), which must have fusepy.  Needs root,
/dev/fuse and fusermount.  Exit code 0 when every case passes.
"""

import argparse
import ctypes
import ctypes.util
import errno
import fcntl
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
FS = os.path.join(HERE, 'powercutfs.py')
PYTHON = os.environ.get('POWERCUTFS_PYTHON', sys.executable)
TIMEOUT = 30
WATCHDOG = 600   # a wedged FUSE daemon must not hang the run forever

LIBC = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)
LIBC.sync_file_range.argtypes = [ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong, ctypes.c_uint]
LIBC.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong]
SYNC_FILE_RANGE_ALL = 1 | 2 | 4   # WAIT_BEFORE | WRITE | WAIT_AFTER

LIVE = []   # running mounts, for clean-up


class Mount:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix='powercut-')
        self.backing = os.path.join(self.tmp, 'backing')
        self.mnt = os.path.join(self.tmp, 'mnt')
        self.trash = os.path.join(self.tmp, '.backing.powercut-trash')
        self.cut_file = os.path.join(self.tmp, 'cut-done')
        os.mkdir(self.backing)
        os.mkdir(self.mnt)
        self.stderr_path = os.path.join(self.tmp, 'stderr')
        self.proc = subprocess.Popen(
            [PYTHON, FS, '--cut-file', self.cut_file, self.backing, self.mnt],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=open(self.stderr_path, 'w'), text=True)
        LIVE.append(self)
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.expect('mounted')
        assert os.path.ismount(self.mnt), 'mountpoint is not a mount after "mounted"'

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def stderr(self):
        with open(self.stderr_path) as f:
            return f.read()[-3000:]

    def expect(self, want):
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError('no %r line from powercutfs within %ds; stderr:\n%s'
                                     % (want, TIMEOUT, self.stderr()))
            if line is None:
                raise AssertionError('powercutfs exited (rc=%s) before printing %r; stderr:\n%s'
                                     % (self.proc.wait(), want, self.stderr()))
            if line == want:
                return

    def m(self, *parts):
        return os.path.join(self.mnt, *parts)

    def b(self, *parts):
        return os.path.join(self.backing, *parts)

    def cut(self):
        self.proc.send_signal(signal.SIGUSR1)
        self.expect('cut done')
        assert os.path.exists(self.cut_file), 'cut file not written after "cut done"'
        failed = int(content(self.cut_file).split()[3])
        assert failed == 0, '%d undo steps failed; stderr:\n%s' % (failed, self.stderr())
        assert 'ERROR' not in self.stderr(), 'powercutfs logged errors:\n' + self.stderr()
        assert not os.path.exists(self.trash), 'trash directory left behind after the cut'

    def unmount(self):
        r = subprocess.run(['fusermount', '-u', '-z', self.mnt], capture_output=True,
                           text=True, timeout=TIMEOUT)
        assert r.returncode == 0, 'fusermount -u -z failed: %s' % r.stderr
        assert not os.path.ismount(self.mnt), 'still mounted after fusermount -u -z'

    def wait_exit(self):
        try:
            self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError('powercutfs still running %ds after unmount' % TIMEOUT)

    def close(self):
        if self.proc.poll() is None:
            subprocess.run(['fusermount', '-u', '-z', self.mnt], capture_output=True,
                           timeout=TIMEOUT)
            try:
                self.proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self in LIVE:
            LIVE.remove(self)
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---- utilities ------------------------------------------------------------------

def create(path, data=b'', sync=True):
    fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o600)
    try:
        if data:
            os.pwrite(fd, data, 0)
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def content(path):
    with open(path, 'rb') as f:
        return f.read()


def check_content(path, want, what):
    assert os.path.exists(path), '%s: %s is missing' % (what, path)
    got = content(path)
    assert got == want, '%s: %s holds %d bytes %r..., expected %d bytes %r...' % (
        what, path, len(got), got[:24], len(want), want[:24])


def expect_errno(code, fn, what):
    try:
        fn()
    except OSError as e:
        assert e.errno == code, '%s: got %s, expected %s' % (
            what, errno.errorcode.get(e.errno), errno.errorcode[code])
        return
    raise AssertionError('%s: succeeded, expected %s' % (what, errno.errorcode[code]))


# ---- cases ----------------------------------------------------------------------

def case_data(mt):
    """1. fsynced data survives; later writes, extensions and truncates are undone."""
    names = ['grow', 'trunc', 'sfr', 'datasync', 'append', 'bigtrunc', 'dsync']
    a0 = b'A' * 8192
    t0 = os.urandom(10000)
    big0 = os.urandom(3 << 20)   # larger than the in-memory pre-image limit
    create(mt.m('grow'), a0)
    create(mt.m('trunc'), t0)
    create(mt.m('sfr'), b'x' * 4096)
    create(mt.m('datasync'), sync=False)
    create(mt.m('append'), b'base')
    create(mt.m('bigtrunc'), big0)
    create(mt.m('dsync'), sync=False)
    fsync_dir(mt.mnt)

    # Overwrite, straddle EOF, overlap, and write past EOF leaving a hole.
    fd = os.open(mt.m('grow'), os.O_RDWR)
    os.pwrite(fd, b'B' * 100, 10)
    os.pwrite(fd, b'1' * 300, 8000)
    os.pwrite(fd, b'2' * 100, 8250)
    os.pwrite(fd, b'C' * 10, 15000)
    want = bytearray(a0)
    want[10:110] = b'B' * 100
    want[8000:8300] = b'1' * 300
    want[8250:8350] = b'2' * 100
    want += b'\0' * (15000 - len(want)) + b'C' * 10
    assert os.pread(fd, 20000, 0) == bytes(want), 'reads through the mount miss the writes'
    os.close(fd)

    fd = os.open(mt.m('trunc'), os.O_RDWR)
    os.ftruncate(fd, 100)
    os.ftruncate(fd, 50000)
    os.pwrite(fd, b'Z' * 10, 20000)
    assert os.fstat(fd).st_size == 50000
    os.close(fd)

    fd = os.open(mt.m('sfr'), os.O_RDWR)
    os.pwrite(fd, b'y' * 4096, 0)
    assert LIBC.sync_file_range(fd, 0, 4096, SYNC_FILE_RANGE_ALL) == 0, 'sync_file_range failed'
    os.close(fd)

    fd = os.open(mt.m('datasync'), os.O_RDWR)
    os.pwrite(fd, b'd' * 5000, 0)
    os.fdatasync(fd)
    os.pwrite(fd, b'e' * 100, 4950)
    os.close(fd)

    fd = os.open(mt.m('append'), os.O_WRONLY | os.O_APPEND)
    os.write(fd, b'more')
    os.write(fd, b'more')
    os.fsync(fd)
    os.write(fd, b'lost')
    os.close(fd)
    check_content(mt.m('append'), b'basemoremorelost', 'O_APPEND through the mount')

    os.truncate(mt.m('bigtrunc'), 10)

    fd = os.open(mt.m('dsync'), os.O_WRONLY | os.O_DSYNC)
    os.write(fd, b'synced by O_DSYNC')
    os.close(fd)

    mt.cut()
    check_content(mt.b('grow'), a0, 'overwritten/extended file after cut')
    check_content(mt.b('trunc'), t0, 'shrunk-then-grown file after cut')
    check_content(mt.b('sfr'), b'x' * 4096, 'sync_file_range is not durable')
    check_content(mt.b('datasync'), b'd' * 5000, 'fdatasync is durable, later write is not')
    check_content(mt.b('append'), b'basemoremore', 'appends up to the fsync')
    check_content(mt.b('bigtrunc'), big0, 'large truncate after cut')
    check_content(mt.b('dsync'), b'synced by O_DSYNC', 'O_DSYNC write')
    assert sorted(os.listdir(mt.backing)) == sorted(names), os.listdir(mt.backing)


def case_new_names(mt):
    """2. a new file's name is durable only once its directory is fsynced."""
    os.mkdir(mt.m('sub'))
    fsync_dir(mt.mnt)
    create(mt.m('sub', 'named'), b'fsynced, dir too')
    fsync_dir(mt.m('sub'))
    create(mt.m('sub', 'unnamed'), b'fsynced, dir not')
    # A new directory whose own parent was never synced vanishes with its
    # contents, even when those were synced inside it.
    os.mkdir(mt.m('newdir'))
    create(mt.m('newdir', 'inner'), b'x')
    fsync_dir(mt.m('newdir'))
    assert sorted(os.listdir(mt.m('sub'))) == ['named', 'unnamed']

    mt.cut()
    assert sorted(os.listdir(mt.backing)) == ['sub'], \
        'top level after cut: %r, expected only sub' % os.listdir(mt.backing)
    assert os.listdir(mt.b('sub')) == ['named'], \
        'sub after cut: %r, expected only named' % os.listdir(mt.b('sub'))
    check_content(mt.b('sub', 'named'), b'fsynced, dir too', 'file with synced dir')


def case_rename(mt):
    """3. write temp + fsync + rename over + fsync(dir) survives; without the dir
    fsync the old file is back."""
    for d in ('synced', 'unsynced', 'x', 'y'):
        os.mkdir(mt.m(d))
    fsync_dir(mt.mnt)
    for d in ('synced', 'unsynced'):
        create(mt.m(d, 'config'), b'old contents')
        fsync_dir(mt.m(d))
        create(mt.m(d, 'config.tmp'), b'new contents')
        os.rename(mt.m(d, 'config.tmp'), mt.m(d, 'config'))
        check_content(mt.m(d, 'config'), b'new contents', 'through the mount after rename')
    fsync_dir(mt.m('synced'))
    # Across directories with only the target synced: the new name is
    # durable, the removal of the old one is not, so both names remain.
    create(mt.m('x', 'moved'), b'moved file')
    fsync_dir(mt.m('x'))
    os.rename(mt.m('x', 'moved'), mt.m('y', 'moved'))
    fsync_dir(mt.m('y'))

    mt.cut()
    check_content(mt.b('synced', 'config'), b'new contents', 'rename with dir fsync')
    assert os.listdir(mt.b('synced')) == ['config'], os.listdir(mt.b('synced'))
    check_content(mt.b('unsynced', 'config'), b'old contents', 'rename without dir fsync')
    assert os.listdir(mt.b('unsynced')) == ['config'], os.listdir(mt.b('unsynced'))
    check_content(mt.b('x', 'moved'), b'moved file', 'old name of half-synced rename')
    check_content(mt.b('y', 'moved'), b'moved file', 'new name of half-synced rename')


def case_unlink(mt):
    """4. an unlink is undone at a cut unless its directory was fsynced."""
    create(mt.m('gone'), b'deleted for good')
    create(mt.m('keep'), b'precious')
    create(mt.m('keep2'), b'v1')
    os.mkdir(mt.m('emptydir'))
    fsync_dir(mt.mnt)
    os.unlink(mt.m('gone'))
    fsync_dir(mt.mnt)

    os.unlink(mt.m('keep'))
    fd = os.open(mt.m('keep2'), os.O_RDWR)
    os.pwrite(fd, b'v2 unsynced', 0)
    os.close(fd)
    os.unlink(mt.m('keep2'))
    create(mt.m('temp'), b'never durable')
    os.unlink(mt.m('temp'))
    os.rmdir(mt.m('emptydir'))
    assert os.listdir(mt.mnt) == [], 'mount not empty after removals: %r' % os.listdir(mt.mnt)

    mt.cut()
    assert sorted(os.listdir(mt.backing)) == ['emptydir', 'keep', 'keep2'], \
        'after cut: %r' % sorted(os.listdir(mt.backing))
    check_content(mt.b('keep'), b'precious', 'unlinked without dir fsync')
    check_content(mt.b('keep2'), b'v1', 'unlinked file with unsynced data')
    assert os.path.isdir(mt.b('emptydir')), 'rmdir without dir fsync was not undone'


def case_lock_eio_unmount(mt):
    """5. flock works through the mount; after the cut everything fails with EIO;
    the mount can be unmounted lazily while files are still open."""
    path = mt.m('lockfile')
    fd1 = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    fd2 = os.open(path, os.O_RDWR)
    fcntl.flock(fd1, fcntl.LOCK_EX | fcntl.LOCK_NB)
    expect_errno(errno.EWOULDBLOCK, lambda: fcntl.flock(fd2, fcntl.LOCK_EX | fcntl.LOCK_NB),
                 'second exclusive flock')
    child = subprocess.run(
        [sys.executable, '-c', 'import fcntl,os,sys\n'
         'fd=os.open(sys.argv[1], os.O_RDWR)\n'
         'try:\n fcntl.flock(fd, fcntl.LOCK_EX|fcntl.LOCK_NB)\nexcept BlockingIOError:\n sys.exit(7)\n',
         path], timeout=TIMEOUT)
    assert child.returncode == 7, 'flock from another process was not refused'
    fcntl.flock(fd1, fcntl.LOCK_UN)
    fcntl.flock(fd2, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fcntl.lockf(fd1, fcntl.LOCK_EX | fcntl.LOCK_NB)
    # Not implemented, so refused cleanly instead of silently going unrecorded.
    rc = LIBC.fallocate(fd2, 0, 0, 4096)
    assert rc == -1 and ctypes.get_errno() == errno.EOPNOTSUPP, \
        'fallocate returned %d (%s), expected EOPNOTSUPP' % (
            rc, errno.errorcode.get(ctypes.get_errno()))
    os.pwrite(fd2, b'data', 0)

    mt.cut()
    expect_errno(errno.EIO, lambda: os.open(path, os.O_RDONLY), 'open after cut')
    expect_errno(errno.EIO, lambda: os.listdir(mt.mnt), 'readdir after cut')
    expect_errno(errno.EIO, lambda: os.pwrite(fd2, b'x', 0), 'write after cut')
    expect_errno(errno.EIO, lambda: os.fsync(fd2), 'fsync after cut')
    expect_errno(errno.EIO, lambda: os.mkdir(mt.m('newdir')), 'mkdir after cut')
    assert os.listdir(mt.backing) == [], 'unsynced lockfile name survived the cut'

    mt.unmount()
    assert mt.proc.poll() is None, 'powercutfs must keep running while files are open'
    for fd in (fd1, fd2):
        try:
            os.close(fd)
        except OSError:
            pass   # flush on close reports EIO after the cut
    mt.wait_exit()


def case_throughput(mt):
    """6. sanity figure: 4 KiB pwrite+fdatasync pairs per second."""
    create(mt.m('log'), sync=False)
    fsync_dir(mt.mnt)
    fd = os.open(mt.m('log'), os.O_RDWR)
    block = b'w' * 4096
    n = 0
    start = time.monotonic()
    while time.monotonic() - start < 3.0:
        os.pwrite(fd, block, n * 4096)
        os.fdatasync(fd)
        n += 1
    rate = n / (time.monotonic() - start)
    os.pwrite(fd, block, n * 4096)   # never synced
    os.close(fd)
    print('    throughput: %.0f pwrite(4 KiB)+fdatasync pairs/s (%d in 3 s)' % (rate, n))
    mt.cut()
    assert os.path.getsize(mt.b('log')) == n * 4096, \
        'log size %d after cut, expected %d' % (os.path.getsize(mt.b('log')), n * 4096)


def case_sqlite_wal(mt):
    """7. a real database: every committed SQLite WAL transaction survives the cut."""
    import sqlite3
    db = sqlite3.connect(mt.m('t.db'), isolation_level=None)
    db.execute('pragma journal_mode=wal')
    db.execute('pragma synchronous=full')
    db.execute('create table t(x)')
    for i in range(200):
        db.execute('begin')
        db.execute('insert into t values (?)', (i,))
        db.execute('commit')
    db.execute('begin')
    db.execute('insert into t values (-1)')   # never committed
    mt.cut()
    db.close()
    check = sqlite3.connect(mt.b('t.db'))
    assert check.execute('pragma integrity_check').fetchall() == [('ok',)], 'corrupt after cut'
    got = check.execute('select count(*), min(x), max(x) from t').fetchone()
    assert got == (200, 0, 199), 'rows after cut: %r, expected (200, 0, 199)' % (got,)
    check.close()


def case_clean_unmount(mt):
    """9. without a cut, unmounting leaves every change applied."""
    create(mt.m('kept'), b'old', sync=False)
    create(mt.m('gone'), b'x', sync=False)
    fsync_dir(mt.mnt)
    fd = os.open(mt.m('kept'), os.O_RDWR)
    os.pwrite(fd, b'new, never synced', 0)
    os.close(fd)
    os.unlink(mt.m('gone'))
    create(mt.m('fresh'), b'fresh', sync=False)
    mt.unmount()
    mt.wait_exit()
    assert sorted(os.listdir(mt.backing)) == ['fresh', 'kept'], os.listdir(mt.backing)
    check_content(mt.b('kept'), b'new, never synced', 'unsynced write after clean unmount')
    assert not os.path.exists(mt.trash), 'trash directory left behind after unmount'


class Model:
    """Strict POSIX crash model: a directory's entries are durable as of its last
    fsync, a file's data as of its last fsync, independently of each other."""

    def __init__(self):
        self.next_id = 1
        self.dirs = {0: ({}, {})}        # id -> (current entries, durable entries)
        self.data = {}                   # id -> (current bytearray, durable bytes)

    def new_file(self):
        self.next_id += 1
        self.data[self.next_id] = (bytearray(), b'')
        return self.next_id

    def new_dir(self):
        self.next_id += 1
        self.dirs[self.next_id] = ({}, {})
        return self.next_id

    def expected(self, did=0):
        out = {}
        for name, i in self.dirs[did][1].items():
            out[name] = self.expected(i) if i in self.dirs else self.data[i][1]
        return out


def read_tree(path):
    out = {}
    for name in os.listdir(path):
        p = os.path.join(path, name)
        out[name] = read_tree(p) if os.path.isdir(p) else content(p)
    return out


def random_run(seed, steps):
    import random
    rnd = random.Random(seed)
    mt = Mount()
    try:
        model = Model()
        # Durable starting layout: root/{d1,d2}, root/d1/f0.
        for d in ('d1', 'd2'):
            os.mkdir(mt.m(d))
            model.dirs[0][0][d] = model.new_dir()
        create(mt.m('d1', 'f0'), b'start')
        fid = model.new_file()
        model.data[fid] = (bytearray(b'start'), b'start')
        model.dirs[model.dirs[0][0]['d1']][0]['f0'] = fid
        fsync_dir(mt.m('d1'))
        fsync_dir(mt.mnt)
        for did, (cur, _) in list(model.dirs.items()):
            model.dirs[did] = (cur, dict(cur))
        log = []

        def dirs():
            """(fuse path, dir id) of every current directory."""
            out = [('', 0)]
            i = 0
            while i < len(out):
                p, did = out[i]
                for name, c in model.dirs[did][0].items():
                    if c in model.dirs:
                        out.append((os.path.join(p, name), c))
                i += 1
            return out

        def files():
            out = []
            for p, did in dirs():
                for name, c in model.dirs[did][0].items():
                    if c not in model.dirs:
                        out.append((os.path.join(p, name), did, name, c))
            return out

        for _ in range(steps):
            op = rnd.choice(['create', 'write', 'write', 'truncate', 'fsync', 'fsyncdir',
                             'unlink', 'rename', 'link', 'mkdir', 'rmdir', 'renamedir'])
            fl = files()
            ds = dirs()
            if op == 'create':
                p, did = rnd.choice(ds)
                name = 'f%d' % rnd.randrange(4)
                if name in model.dirs[did][0]:
                    continue
                create(mt.m(p, name), sync=False)
                model.dirs[did][0][name] = model.new_file()
                log.append('create %s/%s' % (p, name))
            elif op in ('write', 'truncate', 'fsync') and fl:
                p, did, name, i = rnd.choice(fl)
                cur = model.data[i][0]
                fd = os.open(mt.m(p), os.O_RDWR)
                if op == 'write':
                    off, data = rnd.randrange(20000), rnd.randbytes(rnd.randrange(1, 5000))
                    os.pwrite(fd, data, off)
                    if off > len(cur):
                        cur.extend(b'\0' * (off - len(cur)))
                    cur[off:off + len(data)] = data
                    log.append('write %s %d+%d' % (p, off, len(data)))
                elif op == 'truncate':
                    n = rnd.randrange(25000)
                    os.ftruncate(fd, n)
                    del cur[n:]
                    cur.extend(b'\0' * (n - len(cur)))
                    log.append('truncate %s %d' % (p, n))
                if op == 'fsync' or rnd.random() < 0.3:
                    os.fsync(fd)
                    model.data[i] = (cur, bytes(cur))
                    log.append('fsync %s' % p)
                os.close(fd)
            elif op == 'fsyncdir':
                p, did = rnd.choice(ds)
                fsync_dir(mt.m(p) if p else mt.mnt)
                cur = model.dirs[did][0]
                model.dirs[did] = (cur, dict(cur))
                log.append('fsyncdir /%s' % p)
            elif op == 'unlink' and fl:
                p, did, name, i = rnd.choice(fl)
                os.unlink(mt.m(p))
                del model.dirs[did][0][name]
                log.append('unlink %s' % p)
            elif op in ('rename', 'link') and fl:
                p, did, name, i = rnd.choice(fl)
                q, qdid = rnd.choice(ds)
                qname = 'f%d' % rnd.randrange(4)
                target = model.dirs[qdid][0].get(qname)
                if target in model.dirs or (op == 'link' and target is not None):
                    continue
                if op == 'rename':
                    os.rename(mt.m(p), mt.m(q, qname))
                    if target != i:
                        del model.dirs[did][0][name]
                        model.dirs[qdid][0][qname] = i
                else:
                    os.link(mt.m(p), mt.m(q, qname))
                    model.dirs[qdid][0][qname] = i
                log.append('%s %s -> %s/%s' % (op, p, q, qname))
            elif op == 'mkdir':
                p, did = rnd.choice(ds)
                name = 's%d' % rnd.randrange(2)
                if name in model.dirs[did][0] or p.count('/') > 2:
                    continue
                os.mkdir(mt.m(p, name))
                model.dirs[did][0][name] = model.new_dir()
                log.append('mkdir %s/%s' % (p, name))
            elif op == 'rmdir':
                cands = [(p, did) for p, did in ds if p and not model.dirs[did][0]]
                if not cands:
                    continue
                p, did = rnd.choice(cands)
                os.rmdir(mt.m(p))
                parent = dict(ds)[os.path.dirname(p)]
                del model.dirs[parent][0][os.path.basename(p)]
                log.append('rmdir %s' % p)
            elif op == 'renamedir':
                # Directories move only within their parent (see limitations).
                cands = [(p, did) for p, did in ds if p]
                if not cands:
                    continue
                p, did = rnd.choice(cands)
                parent = dict(ds)[os.path.dirname(p)]
                new = os.path.join(os.path.dirname(p), 'r%d' % rnd.randrange(2))
                if os.path.basename(new) in model.dirs[parent][0]:
                    continue
                os.rename(mt.m(p), mt.m(new))
                entries = model.dirs[parent][0]
                entries[os.path.basename(new)] = entries.pop(os.path.basename(p))
                log.append('renamedir %s -> %s' % (p, new))
        mt.cut()
        got, want = read_tree(mt.backing), model.expected()
        if got != want:
            raise AssertionError('seed %d: tree after cut differs from the model\n'
                                 '  got:  %s\n  want: %s\n  ops:\n    %s' % (
                                     seed, summarize(got), summarize(want), '\n    '.join(log))
                                 + '\n  powercutfs stderr:\n' + mt.stderr())
    finally:
        mt.close()


def summarize(tree):
    return {k: summarize(v) if isinstance(v, dict) else '%d bytes %s' % (len(v), v[:6].hex())
            for k, v in tree.items()}


def case_random(mt):
    """8. random operation sequences agree with a strict POSIX crash model."""
    mt.close()
    seeds = [int(x) for x in os.environ.get('SELFTEST_SEEDS', '').split(',') if x]
    for seed in seeds or range(25):
        random_run(seed, int(os.environ.get('SELFTEST_STEPS', '80')))


CASES = [
    ('data', case_data),
    ('new_names', case_new_names),
    ('rename', case_rename),
    ('unlink', case_unlink),
    ('lock_eio_unmount', case_lock_eio_unmount),
    ('throughput', case_throughput),
    ('sqlite_wal', case_sqlite_wal),
    ('random', case_random),
    ('clean_unmount', case_clean_unmount),
]


def watchdog():
    sys.stderr.write('selftest: watchdog fired after %ds, killing the filesystems\n' % WATCHDOG)
    for mt in list(LIVE):
        mt.proc.kill()   # aborts the FUSE connection, which unblocks stuck calls
        subprocess.run(['fusermount', '-u', '-z', mt.mnt], capture_output=True)
    os._exit(3)


def main():
    global PYTHON
    ap = argparse.ArgumentParser()
    ap.add_argument('--python', default=PYTHON, help='interpreter with fusepy for powercutfs')
    ap.add_argument('cases', nargs='*', help='run only these cases')
    args = ap.parse_args()
    PYTHON = args.python
    if os.geteuid() != 0:
        sys.exit('selftest: must run as root (FUSE mounts)')
    os.umask(0o077)
    timer = threading.Timer(WATCHDOG, watchdog)
    timer.daemon = True
    timer.start()
    passed = failed = 0
    for name, fn in CASES:
        if args.cases and name not in args.cases:
            continue
        mt = None
        try:
            mt = Mount()
            fn(mt)
            print('PASS %s' % name)
            passed += 1
        except Exception as e:
            failed += 1
            print('FAIL %s: %s' % (name, e))
            if not isinstance(e, AssertionError):
                traceback.print_exc()
            if mt is not None and os.path.exists(mt.stderr_path):
                print('    powercutfs stderr:\n' + mt.stderr())
        finally:
            if mt is not None:
                mt.close()
        sys.stdout.flush()
    timer.cancel()
    print('selftest: %d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed or not passed else 0)


if __name__ == '__main__':
    main()
