#!/usr/bin/python3
"""Line-driven umockdev testbed owner, for a test written in another language (Swift).

Start:  umockdev-wrapper /usr/bin/python3 testbed.py
        (or: env LD_PRELOAD=libumockdev-preload.so.0 /usr/bin/python3 testbed.py)
First stdout line: "ROOT <testbed dir>". Give the code under test
UMOCKDEV_DIR=<testbed dir> and LD_PRELOAD=libumockdev-preload.so.0 (a subprocess: in its env;
an already-preloaded test process: setenv("UMOCKDEV_DIR") BEFORE creating its udev monitor).

Commands on stdin (one per line), each answered by one "OK ..." or "ERR ..." line:
  plug FIXTURE          add the devices of a .umockdev file, parent first ("add" uevents);
                        devices already present (shared PCI controller/root hub) are skipped.
                        Answer: OK <devnode> ... for every pty-backed node of the file
  write DEVNODE TEXT    write TEXT to the pty master of DEVNODE; escapes \\r \\n \\xHH allowed
  unplug SYSPATH        uevent "remove" for SYSPATH and every device below it (deepest first),
                        then remove_device for each; also deletes the dangling /dev/serial links
  event SYSPATH ACTION  just send a uevent (add/remove/change) without touching sysfs
  quit
"""
import codecs, os, sys
import gi
gi.require_version('UMockdev', '1.0')
from gi.repository import UMockdev

if 'libumockdev-preload' not in os.environ.get('LD_PRELOAD', ''):
    sys.exit('umockdev-helper: must run preloaded (umockdev-wrapper), or no uevent is sent')

tb = UMockdev.Testbed.new()
root = tb.get_root_dir()
out = sys.stdout
def reply(s):
    out.write(s + '\n'); out.flush()
reply('ROOT ' + root)

def paragraphs(path):
    return [p.strip() for p in open(path).read().split('\n\n') if p.strip()]

def syspaths_below(sp):
    base = os.path.join(root, sp.lstrip('/'))
    found = []
    for dirpath, dirnames, files in os.walk(base, followlinks=False):
        if 'uevent' in files and not os.path.islink(dirpath):
            found.append('/' + os.path.relpath(dirpath, root))
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
    return sorted(found, key=lambda p: -p.count('/'))   # deepest first

for line in sys.stdin:
    cmd = line.rstrip('\n').split(' ', 2)
    try:
        if cmd[0] == 'plug':
            paras = [p for p in paragraphs(cmd[1])
                     if not os.path.exists(root + '/sys' + p.splitlines()[0][3:].strip() + '/uevent')]
            tb.add_from_string('\n\n'.join(reversed(paras)) + '\n')
            nodes = ['/dev/' + l[3:].strip() for p in paras for l in p.splitlines()
                     if l.startswith('N: ') and '=' not in l]
            reply('OK ' + ' '.join(n for n in nodes if tb.get_dev_fd(n) >= 0))
        elif cmd[0] == 'write':
            data = codecs.escape_decode(cmd[2].encode())[0]
            fd = tb.get_dev_fd(cmd[1])
            if fd < 0:
                reply('ERR no pty for ' + cmd[1]); continue
            os.write(fd, data)
            reply('OK %d' % len(data))
        elif cmd[0] == 'unplug':
            devs = syspaths_below(cmd[1])
            for d in devs: tb.uevent(d, 'remove')       # before remove_device, or it fails
            for d in devs: tb.remove_device(d)          # each one: parent removal leaves child /dev nodes
            for sub in ('by-id', 'by-path'):
                sd = os.path.join(root, 'dev/serial', sub)
                for f in (os.listdir(sd) if os.path.isdir(sd) else []):
                    if not os.path.exists(os.path.join(sd, f)):
                        os.unlink(os.path.join(sd, f))
            reply('OK ' + ' '.join(devs))
        elif cmd[0] == 'event':
            tb.uevent(cmd[1], cmd[2])
            reply('OK')
        elif cmd[0] == 'quit':
            reply('OK'); break
        else:
            reply('ERR unknown command')
    except Exception as e:
        reply('ERR %s' % e)
