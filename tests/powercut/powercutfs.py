#!/usr/bin/env python3
"""powercutfs - a passthrough FUSE filesystem that can simulate a power cut.

Modelled on LazyFS: every operation is applied to BACKING_DIR at once (so
readers see every write), but the filesystem remembers what has not been made
durable yet and, on a simulated power cut, puts BACKING_DIR back into exactly
the state a crash would leave behind under strict POSIX rules:

* File data (write, truncate, ftruncate, O_TRUNC) is durable only once the
  file is fsync()ed or fdatasync()ed (or written through an O_SYNC/O_DSYNC
  handle).  close(), sync_file_range() (never passed to FUSE), sync() and
  syncfs() do not count.
* A directory entry (create, mknod, mkdir, symlink, link, unlink, rmdir,
  rename) is durable only once its directory is fsync()ed.  A rename touches
  two directories; each half becomes durable with its own directory.  A new
  file that was fsynced but whose directory was not disappears at a cut.
* Mode, owner and timestamps are applied at once and are never reverted.

Usage:
    python powercutfs.py [--cut-file PATH] [--trash DIR] BACKING_DIR MOUNTPOINT

Runs in the foreground.  Needs fusepy and libfuse 2 (Debian: fuse, libfuse2).

Protocol:
* "mounted" is printed (and flushed) on stdout once the mount is live.
* SIGUSR1 performs the power cut: under the global lock every later operation
  fails with EIO, BACKING_DIR is reverted to its durable state, then
  "cut done" is printed on stdout and, if --cut-file was given, that file is
  written (atomically, via rename) with "cut done <undone> <failed>", the
  number of undo steps applied and of those that could not be (0 expected;
  details on stderr).  The process keeps running and answering
  EIO until the mount goes away: `fusermount -u -z MOUNTPOINT` (works even
  while other processes still hold files open; the process exits once they
  close them), or SIGTERM/SIGINT, which unmount and exit.
* Without a cut, unmounting leaves BACKING_DIR with every operation applied.

Deleted and replaced entries are parked in a trash directory next to
BACKING_DIR (default: <parent>/.<name>.powercut-trash, same filesystem) until
their removal is durable; it is deleted after a cut and at unmount.

Limitations:
* Only a simulation: nothing is really fsynced to the backing device.
* fallocate() fails with EOPNOTSUPP (glibc's posix_fallocate then falls back
  to plain writes, which are recorded).  Extended attributes: ENOTSUP.
* fstat() of an open file whose last name was removed fails with ENOENT
  (libfuse 2 high-level API); reading, writing and fsyncing it work.
* A directory moved to another directory, where only the destination was
  synced, does not get its old name back (a directory has one name).
* After a cut the kernel may still answer a stat() from its attribute cache
  for up to a second; everything that reaches this process fails with EIO.
* One global lock serialises all operations.
* If this process is killed instead of unmounted, the mount is left dead
  (ENOTCONN) until `fusermount -u -z MOUNTPOINT`.
"""

import argparse
import errno
import logging
import os
import resource
import shutil
import signal
import stat
import sys
import threading

from fuse import FUSE, FuseOSError, Operations, fuse_get_context

# Pre-images larger than this go to a spool file instead of memory
# (only a shrinking truncate can produce one; writes are at most 128 KiB).
SPOOL_THRESHOLD = 1 << 20
CHUNK = 1 << 20




def log(msg):
    sys.stderr.write('powercutfs: %s\n' % msg)
    sys.stderr.flush()


def fid_of(st):
    return (st.st_dev, st.st_ino)


class Spool:
    """A pre-image kept in a file in the trash directory."""
    __slots__ = ('name', 'length')

    def __init__(self, name, length):
        self.name = name
        self.length = length


class DataRec:
    """Undo of a data change: write `old` back at `off`, then resize to `size`."""
    __slots__ = ('seq', 'fid', 'off', 'old', 'size')

    def __init__(self, seq, fid, off, old, size):
        self.seq, self.fid, self.off, self.old, self.size = seq, fid, off, old, size


class NewRec:
    """Undo of an entry added to a directory (create/mknod/mkdir/symlink/link)."""
    __slots__ = ('seq', 'dfid', 'name', 'fid')

    def __init__(self, seq, dfid, name, fid):
        self.seq, self.dfid, self.name, self.fid = seq, dfid, name, fid


class DelRec:
    """Undo of an entry removed from a directory; the object sits in the trash."""
    __slots__ = ('seq', 'dfid', 'name', 'tname', 'isdir')

    def __init__(self, seq, dfid, name, tname, isdir):
        self.seq, self.dfid, self.name, self.tname, self.isdir = seq, dfid, name, tname, isdir


class RenRec:
    """Undo of a rename.  The source half belongs to sdfid, the destination half
    (including the entry it replaced, parked in the trash as `tname`) to dfid."""
    __slots__ = ('seq', 'sdfid', 'sname', 'dfid', 'dname', 'tname', 'tisdir',
                 'fid', 'isdir', 'ino_fd', 'sdur', 'ddur')

    def __init__(self, seq, sdfid, sname, dfid, dname, tname, tisdir, fid, isdir, ino_fd):
        self.seq = seq
        self.sdfid, self.sname, self.dfid, self.dname = sdfid, sname, dfid, dname
        self.tname, self.tisdir = tname, tisdir
        self.fid, self.isdir, self.ino_fd = fid, isdir, ino_fd
        self.sdur = self.ddur = False


class FileState:
    """A file with unsynced data; `fd` stays valid across renames and unlinks."""
    __slots__ = ('fd', 'seqs')

    def __init__(self, fd):
        self.fd = fd
        self.seqs = []


class DirState:
    """A directory with pending namespace records; `fd` follows it across renames.
    `gone` once its own removal became durable: its entries went with it."""
    __slots__ = ('fd', 'seqs', 'gone')

    def __init__(self, fd):
        self.fd = fd
        self.seqs = set()
        self.gone = False


class Handle:
    __slots__ = ('fd', 'fid', 'sync')

    def __init__(self, fd, fid, sync):
        self.fd, self.fid, self.sync = fd, fid, sync


class PowerCutFS(Operations):
    use_ns = True
    # Lets I/O continue on files that are open but already unlinked.
    flag_nullpath_ok = 1

    def __init__(self, root, trash, cut_file=None):
        self.root = os.path.realpath(root)
        self.trash = os.path.abspath(trash)
        self.cut_file = cut_file
        self._mutex = threading.Lock()
        self.dead = False
        self.seq = 0
        self.journal = {}       # seq -> record, in operation order
        self.files = {}         # fid -> FileState
        self.dirs = {}          # fid -> DirState
        self.handles = {}       # fh -> Handle
        self.fresh = {}         # fid -> NewRec that created it, while cancellable
        self.pins = {}          # fid -> pending renames that may need to relink it
        self.tcount = 0
        if os.path.lexists(self.trash):
            shutil.rmtree(self.trash)
        os.mkdir(self.trash, 0o700)
        if os.stat(self.trash).st_dev != os.stat(self.root).st_dev:
            shutil.rmtree(self.trash)
            raise SystemExit('powercutfs: trash %s must be on the same filesystem as %s'
                             % (self.trash, self.root))
        self.trash_fd = os.open(self.trash, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)

    # ---- plumbing -------------------------------------------------------

    def __call__(self, op, *args):
        with self._mutex:
            if self.dead:
                if op == 'release' or op == 'releasedir' or op == 'destroy':
                    return 0
                raise FuseOSError(errno.EIO)
            return getattr(self, op)(*args)

    def _p(self, path):
        return self.root + path

    def _next(self):
        self.seq += 1
        return self.seq

    def _tname(self):
        self.tcount += 1
        return 't%d' % self.tcount

    def _dir(self, path):
        """(fid, DirState) of the directory at FUSE path `path`."""
        st = os.lstat(self._p(path))
        fid = fid_of(st)
        ds = self.dirs.get(fid)
        if ds is None:
            fd = os.open(self._p(path), os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
            ds = self.dirs[fid] = DirState(fd)
        return fid, ds

    def _dir_drop_seq(self, dfid, seq):
        ds = self.dirs.get(dfid)
        if ds is None:
            return
        ds.seqs.discard(seq)
        if not ds.seqs:
            os.close(ds.fd)
            del self.dirs[dfid]

    def _split(self, path):
        parent, name = os.path.split(path)
        return parent or '/', name

    def _handle(self, fi):
        try:
            return self.handles[fi.fh]
        except KeyError:
            raise FuseOSError(errno.EBADF)

    # ---- undo bookkeeping ------------------------------------------------

    def _save(self, fid, fd, off, length):
        """Record the pre-image of [off, off+length) of the file before a change."""
        size = os.fstat(fd).st_size
        n = max(0, min(length, size - off))
        if n > SPOOL_THRESHOLD:
            name = self._tname()
            out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600,
                          dir_fd=self.trash_fd)
            try:
                _copy(fd, off, out, 0, n)
            finally:
                os.close(out)
            old = Spool(name, n)
        else:
            old = os.pread(fd, n, off) if n else b''
        fs = self.files.get(fid)
        if fs is None:
            fs = self.files[fid] = FileState(os.dup(fd))
        seq = self._next()
        self.journal[seq] = DataRec(seq, fid, off, old, size)
        fs.seqs.append(seq)

    def _forget_file(self, fid):
        """Drop every data record of a file: fsynced, or durably gone."""
        fs = self.files.pop(fid, None)
        if fs is None:
            return
        for seq in fs.seqs:
            rec = self.journal.pop(seq, None)
            if rec is not None and isinstance(rec.old, Spool):
                _unlink_quiet(rec.old.name, self.trash_fd)
        os.close(fs.fd)

    def _purge_trash(self, tname, isdir):
        """The removal of a parked entry became durable: really delete it, unless
        the inode may still come back under another name."""
        try:
            st = os.lstat(tname, dir_fd=self.trash_fd)
        except FileNotFoundError:
            return
        if isdir:
            ds = self.dirs.get(fid_of(st))
            if ds is not None:
                ds.gone = True
            shutil.rmtree(os.path.join(self.trash, tname), ignore_errors=True)
            return
        fid = fid_of(st)
        if st.st_nlink != 1 or self.pins.get(fid):
            return
        os.unlink(tname, dir_fd=self.trash_fd)
        self._forget_file(fid)
        self.fresh.pop(fid, None)

    def _unpin(self, rec):
        if rec.ino_fd is not None:
            os.close(rec.ino_fd)
            rec.ino_fd = None
            n = self.pins.get(rec.fid, 0) - 1
            if n > 0:
                self.pins[rec.fid] = n
            else:
                self.pins.pop(rec.fid, None)

    def _dir_durable(self, dfid):
        ds = self.dirs.pop(dfid, None)
        if ds is None:
            return
        os.close(ds.fd)
        for seq in sorted(ds.seqs):
            rec = self.journal.get(seq)
            if rec is None:
                continue
            if isinstance(rec, NewRec):
                del self.journal[seq]
                if self.fresh.get(rec.fid) is rec:
                    del self.fresh[rec.fid]
            elif isinstance(rec, DelRec):
                del self.journal[seq]
                self._purge_trash(rec.tname, rec.isdir)
            else:
                if rec.sdfid == dfid:
                    rec.sdur = True
                if rec.dfid == dfid:
                    rec.ddur = True
                    if rec.tname is not None:
                        tname, rec.tname = rec.tname, None
                        self._purge_trash(tname, rec.tisdir)
                if rec.sdur and rec.ddur:
                    del self.journal[seq]
                    self._unpin(rec)

    # ---- the power cut -----------------------------------------------------

    def power_cut(self):
        with self._mutex:
            if self.dead:
                return
            self.dead = True
            undone = failed = 0
            for seq in reversed(list(self.journal)):
                rec = self.journal[seq]
                try:
                    self._undo(rec)
                    undone += 1
                except OSError as e:
                    failed += 1
                    log('could not undo %s: %s' % (type(rec).__name__, e))
                if isinstance(rec, RenRec) and rec.ino_fd is not None:
                    _close_quiet(rec.ino_fd)
            self.journal.clear()
            for h in self.handles.values():
                _close_quiet(h.fd)
            self.handles.clear()
            for st in list(self.files.values()) + list(self.dirs.values()):
                _close_quiet(st.fd)
            self.files.clear()
            self.dirs.clear()
            _close_quiet(self.trash_fd)
            shutil.rmtree(self.trash, ignore_errors=True)
            log('power cut: %d records undone, %d failed' % (undone, failed))
            if self.cut_file:
                tmp = self.cut_file + '.tmp'
                with open(tmp, 'w') as f:
                    f.write('cut done %d %d\n' % (undone, failed))
                os.rename(tmp, self.cut_file)
            sys.stdout.write('cut done\n')
            sys.stdout.flush()

    def _dfd(self, dfid):
        ds = self.dirs.get(dfid)
        if ds is None:
            raise OSError(errno.ENOENT, 'directory state lost')
        return ds.fd

    def _gone(self, dfid):
        ds = self.dirs.get(dfid)
        return ds is not None and ds.gone

    def _undo(self, rec):
        if isinstance(rec, DataRec):
            fd = self.files[rec.fid].fd
            if isinstance(rec.old, Spool):
                src = os.open(rec.old.name, os.O_RDONLY | os.O_CLOEXEC, dir_fd=self.trash_fd)
                try:
                    _copy(src, 0, fd, rec.off, rec.old.length)
                finally:
                    os.close(src)
            elif rec.old:
                _pwrite_all(fd, rec.old, rec.off)
            os.ftruncate(fd, rec.size)
        elif isinstance(rec, NewRec):
            if not self._gone(rec.dfid):
                # Moving (not deleting) also disposes of non-empty new directories.
                os.rename(rec.name, self._tname(), src_dir_fd=self._dfd(rec.dfid),
                          dst_dir_fd=self.trash_fd)
        elif isinstance(rec, DelRec):
            if not self._gone(rec.dfid):
                os.rename(rec.tname, rec.name, src_dir_fd=self.trash_fd,
                          dst_dir_fd=self._dfd(rec.dfid))
        else:
            # A half whose directory was durably removed has nothing to undo.
            restore_src = not rec.sdur and not self._gone(rec.sdfid)
            if not rec.ddur and not self._gone(rec.dfid):
                ddir = self._dfd(rec.dfid)
                if restore_src:
                    os.rename(rec.dname, rec.sname, src_dir_fd=ddir,
                              dst_dir_fd=self._dfd(rec.sdfid))
                    restore_src = False
                else:
                    os.rename(rec.dname, self._tname(), src_dir_fd=ddir,
                              dst_dir_fd=self.trash_fd)
                if rec.tname is not None:
                    os.rename(rec.tname, rec.dname, src_dir_fd=self.trash_fd, dst_dir_fd=ddir)
            if restore_src:
                # The old name comes back while the new one stays (or went with
                # its directory): a second link to the same file.
                if rec.ino_fd is None:
                    raise OSError(errno.EXDEV, 'cannot give a directory a second name')
                os.link('/proc/self/fd/%d' % rec.ino_fd, rec.sname,
                        dst_dir_fd=self._dfd(rec.sdfid), follow_symlinks=True)

    # ---- lifecycle ---------------------------------------------------------

    def init(self, path):
        sys.stdout.write('mounted\n')
        sys.stdout.flush()

    def destroy(self, path):
        # Unmounted without a cut: everything stays applied.
        shutil.rmtree(self.trash, ignore_errors=True)

    # ---- attributes ----------------------------------------------------------

    def getattr(self, path, fh=None):
        if fh:
            st = os.fstat(self._handle(fh).fd)
        else:
            st = os.lstat(self._p(path))
        return {
            'st_mode': st.st_mode, 'st_ino': st.st_ino, 'st_nlink': st.st_nlink,
            'st_uid': st.st_uid, 'st_gid': st.st_gid, 'st_rdev': st.st_rdev,
            'st_size': st.st_size, 'st_blksize': st.st_blksize, 'st_blocks': st.st_blocks,
            'st_atime': st.st_atime_ns, 'st_mtime': st.st_mtime_ns, 'st_ctime': st.st_ctime_ns,
        }

    def access(self, path, amode):
        if not os.access(self._p(path), amode):
            raise FuseOSError(errno.EACCES)
        return 0

    def chmod(self, path, mode):
        os.chmod(self._p(path), stat.S_IMODE(mode))
        return 0

    def chown(self, path, uid, gid):
        os.lchown(self._p(path), uid, gid)
        return 0

    def utimens(self, path, times=None):
        if times is None:
            os.utime(self._p(path), follow_symlinks=False)
        else:
            os.utime(self._p(path), ns=times, follow_symlinks=False)
        return 0

    def statfs(self, path):
        sv = os.statvfs(self._p(path))
        return {k: getattr(sv, k) for k in (
            'f_bsize', 'f_frsize', 'f_blocks', 'f_bfree', 'f_bavail', 'f_files',
            'f_ffree', 'f_favail', 'f_flag', 'f_namemax')}

    def readlink(self, path):
        return os.readlink(self._p(path))

    def readdir(self, path, fh):
        return ['.', '..'] + os.listdir(self._p(path))

    # ---- file data -------------------------------------------------------------

    def _open_backing(self, path, flags, mode=None):
        # No caller flag reaches the backing file: the kernel supplies every
        # write offset (O_APPEND would move it), O_TRUNC is done as a recorded
        # truncate, O_SYNC/O_DSYNC are simulated, O_DIRECT would demand aligned
        # buffers.  Read-write whenever possible: pre-images must be readable
        # even through a write-only handle.
        base = os.O_CLOEXEC | os.O_NOFOLLOW
        if mode is not None:
            base |= os.O_CREAT | os.O_EXCL
        try:
            return os.open(self._p(path), base | os.O_RDWR, stat.S_IMODE(mode or 0))
        except OSError as e:
            if e.errno not in (errno.EACCES, errno.EROFS, errno.ETXTBSY, errno.EPERM):
                raise
        return os.open(self._p(path), base | (flags & os.O_ACCMODE), stat.S_IMODE(mode or 0))

    def _new_handle(self, fd, flags, fi):
        fid = fid_of(os.fstat(fd))
        h = Handle(fd, fid, bool(flags & os.O_DSYNC))
        self.handles[fd] = h
        fi.fh = fd
        if flags & os.O_TRUNC and flags & os.O_ACCMODE != os.O_RDONLY:
            self._truncate_fd(h.fid, fd, 0)
            if h.sync:
                self._forget_file(h.fid)
        return 0

    def open(self, path, fi):
        fd = self._open_backing(path, fi.flags)
        return self._new_handle(fd, fi.flags, fi)

    def create(self, path, mode, fi):
        full = self._p(path)
        parent, name = self._split(path)
        flags = fi.flags
        if os.path.lexists(full):
            if flags & os.O_EXCL:
                raise FuseOSError(errno.EEXIST)
            return self.open(path, fi)
        fd = self._open_backing(path, flags, mode)
        uid, gid, _ = fuse_get_context()
        if uid != os.geteuid():
            os.fchown(fd, uid, gid)
        fid = fid_of(os.fstat(fd))
        self.fresh[fid] = self._record_new(parent, name, fid)
        return self._new_handle(fd, flags & ~os.O_TRUNC, fi)

    def read(self, path, size, offset, fh):
        return os.pread(self._handle(fh).fd, size, offset)

    def write(self, path, data, offset, fh):
        h = self._handle(fh)
        self._save(h.fid, h.fd, offset, len(data))
        n = os.pwrite(h.fd, data, offset)
        if h.sync:
            self._forget_file(h.fid)
        return n

    def _truncate_fd(self, fid, fd, length):
        size = os.fstat(fd).st_size
        if length == size:
            return
        self._save(fid, fd, length, max(0, size - length))
        os.ftruncate(fd, length)

    def truncate(self, path, length, fh=None):
        if fh:
            h = self._handle(fh)
            self._truncate_fd(h.fid, h.fd, length)
            return 0
        fd = os.open(self._p(path), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            self._truncate_fd(fid_of(os.fstat(fd)), fd, length)
        finally:
            os.close(fd)
        return 0

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        h = self.handles.pop(fh.fh, None)
        if h is not None:
            os.close(h.fd)
        return 0

    def fsync(self, path, datasync, fh):
        self._forget_file(self._handle(fh).fid)
        return 0

    # ---- namespace -----------------------------------------------------------------

    def _record_new(self, parent, name, fid):
        dfid, ds = self._dir(parent)
        seq = self._next()
        rec = self.journal[seq] = NewRec(seq, dfid, name, fid)
        ds.seqs.add(seq)
        return rec

    def mknod(self, path, mode, dev):
        os.mknod(self._p(path), mode, dev)
        parent, name = self._split(path)
        fid = fid_of(os.lstat(self._p(path)))
        self.fresh[fid] = self._record_new(parent, name, fid)
        return 0

    def mkdir(self, path, mode):
        os.mkdir(self._p(path), stat.S_IMODE(mode))
        parent, name = self._split(path)
        self._record_new(parent, name, fid_of(os.lstat(self._p(path))))
        return 0

    def symlink(self, target, source):
        os.symlink(source, self._p(target))
        parent, name = self._split(target)
        self._record_new(parent, name, fid_of(os.lstat(self._p(target))))
        return 0

    def link(self, target, source):
        os.link(self._p(source), self._p(target), follow_symlinks=False)
        parent, name = self._split(target)
        fid = fid_of(os.lstat(self._p(target)))
        self.fresh.pop(fid, None)
        self._record_new(parent, name, fid)
        return 0

    def _remove(self, path, want_dir):
        full = self._p(path)
        st = os.lstat(full)
        isdir = stat.S_ISDIR(st.st_mode)
        if want_dir and not isdir:
            raise FuseOSError(errno.ENOTDIR)
        if not want_dir and isdir:
            raise FuseOSError(errno.EISDIR)
        if isdir and os.listdir(full):
            raise FuseOSError(errno.ENOTEMPTY)
        parent, name = self._split(path)
        dfid, ds = self._dir(parent)
        fid = fid_of(st)
        new = self.fresh.get(fid)
        if (new is not None and not isdir and st.st_nlink == 1
                and self.journal.get(new.seq) is new and new.dfid == dfid and new.name == name):
            # Created since the last fsync of its directory and never renamed or
            # linked: the cut would remove it anyway, so nothing to keep.
            os.unlink(full)
            del self.journal[new.seq]
            del self.fresh[fid]
            self._dir_drop_seq(dfid, new.seq)
            self._forget_file(fid)
            return 0
        tname = self._tname()
        os.rename(name, tname, src_dir_fd=ds.fd, dst_dir_fd=self.trash_fd)
        seq = self._next()
        self.journal[seq] = DelRec(seq, dfid, name, tname, isdir)
        ds.seqs.add(seq)
        return 0

    def unlink(self, path):
        return self._remove(path, False)

    def rmdir(self, path):
        return self._remove(path, True)

    def rename(self, old, new):
        src, dst = self._p(old), self._p(new)
        sst = os.lstat(src)
        try:
            dst_st = os.lstat(dst)
        except FileNotFoundError:
            dst_st = None
        sisdir = stat.S_ISDIR(sst.st_mode)
        tisdir = False
        if dst_st is not None:
            if fid_of(dst_st) == fid_of(sst):
                return 0    # two names of one inode: rename(2) does nothing
            tisdir = stat.S_ISDIR(dst_st.st_mode)
            if tisdir and not sisdir:
                raise FuseOSError(errno.EISDIR)
            if sisdir and not tisdir:
                raise FuseOSError(errno.ENOTDIR)
            if tisdir and os.listdir(dst):
                raise FuseOSError(errno.ENOTEMPTY)
        sparent, sname = self._split(old)
        dparent, dname = self._split(new)
        sdfid, sds = self._dir(sparent)
        dfid, dds = self._dir(dparent)
        tname = None
        if dst_st is not None:
            # Park the replaced entry so a cut can bring it back.
            tname = self._tname()
            os.rename(dname, tname, src_dir_fd=dds.fd, dst_dir_fd=self.trash_fd)
            self.fresh.pop(fid_of(dst_st), None)
        try:
            os.rename(sname, dname, src_dir_fd=sds.fd, dst_dir_fd=dds.fd)
        except OSError:
            if tname is not None:
                os.rename(tname, dname, src_dir_fd=self.trash_fd, dst_dir_fd=dds.fd)
            raise
        fid = fid_of(sst)
        self.fresh.pop(fid, None)
        ino_fd = None
        if not sisdir:
            # Lets a cut give the file its old name back even if its new
            # directory was synced and the old one was not.
            ino_fd = os.open(dname, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dds.fd)
            self.pins[fid] = self.pins.get(fid, 0) + 1
        seq = self._next()
        self.journal[seq] = RenRec(seq, sdfid, sname, dfid, dname, tname, tisdir, fid, sisdir,
                                   ino_fd)
        sds.seqs.add(seq)
        dds.seqs.add(seq)
        return 0

    def fsyncdir(self, path, datasync, fh):
        if path is None:
            return 0
        self._dir_durable(fid_of(os.lstat(self._p(path))))
        return 0


def _pwrite_all(fd, data, off):
    view = memoryview(data)
    while view:
        n = os.pwrite(fd, view, off)
        view = view[n:]
        off += n


def _copy(src, soff, dst, doff, length):
    while length > 0:
        buf = os.pread(src, min(CHUNK, length), soff)
        if not buf:
            break
        _pwrite_all(dst, buf, doff)
        soff += len(buf)
        doff += len(buf)
        length -= len(buf)


def _close_quiet(fd):
    try:
        os.close(fd)
    except OSError:
        pass


def _unlink_quiet(name, dir_fd):
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass


def _watch_cut(fs):
    while True:
        signal.sigwait({signal.SIGUSR1})
        try:
            fs.power_cut()
        except Exception as e:  # keep the process answering EIO whatever happens
            log('power cut failed: %r' % (e,))


def main(argv=None):
    ap = argparse.ArgumentParser(description='Passthrough FUSE filesystem that drops '
                                 'unsynced changes on SIGUSR1 (simulated power cut).')
    ap.add_argument('backing')
    ap.add_argument('mountpoint')
    ap.add_argument('--cut-file', help='written once a cut has been fully applied')
    ap.add_argument('--trash', help='where removed entries wait until durable '
                    '(same filesystem as BACKING; default: hidden sibling of it)')
    args = ap.parse_args(argv)

    logging.basicConfig(level=logging.WARNING)
    backing = os.path.realpath(args.backing)
    mnt = os.path.realpath(args.mountpoint)
    if mnt == backing or mnt.startswith(backing + os.sep):
        # Serving a path inside the tree it serves would deadlock on itself.
        ap.error('MOUNTPOINT must not be inside BACKING_DIR')
    trash = args.trash or os.path.join(os.path.dirname(backing),
                                       '.%s.powercut-trash' % os.path.basename(backing))
    # Modes arrive from the kernel already masked by the caller's umask.
    os.umask(0)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    fs = PowerCutFS(backing, trash, args.cut_file)
    # SIGUSR1 stays blocked in every thread (libfuse's workers block all signals)
    # and is taken synchronously by the watcher, which can run while the main
    # thread sits inside libfuse.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    threading.Thread(target=_watch_cut, args=(fs,), daemon=True, name='cut').start()
    FUSE(fs, args.mountpoint, raw_fi=True, foreground=True, nothreads=False,
         fsname='powercutfs', default_permissions=True, hard_remove=True,
         big_writes=True, use_ino=True)


if __name__ == '__main__':
    main()
