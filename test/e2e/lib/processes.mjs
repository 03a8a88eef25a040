// Every process the harness starts runs in a process group of its own and is registered here, so that
// a failure, a time-out or Ctrl+C ends exactly those groups (by pid) and nothing else on the machine.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const groups = new Map(); // pid -> name, for messages
let shuttingDown = false;

/** Set when the run is being torn down (signal, watchdog): layers stop starting tests. */
export function isShuttingDown() {
  return shuttingDown;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/**
 * Whether the group still has a running member. Exited members can linger as zombies until init reaps
 * them and still count for kill(-pid, 0), so on Linux read the members' states from /proc instead.
 */
function groupRunning(pid) {
  if (!existsSync('/proc/self/stat')) return signalGroup(pid, 0);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // After the parenthesised command: state, ppid, pgrp.
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ').pop().split(' ');
      if (Number(fields[2]) === pid && fields[0] !== 'Z') return true;
    } catch {
      // exited while we looked
    }
  }
  return false;
}

/** spawn() in a new process group, registered for cleanup. */
export function spawnTracked(name, command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true });
  groups.set(child.pid, name);
  return child;
}

/** Registers a group started elsewhere (e.g. the browser Playwright launched). */
export function trackGroup(name, pid) {
  groups.set(pid, name);
}

/** SIGTERM the group, SIGKILL it if it is still there after `graceMs`. */
export async function stopGroup(pid, graceMs = 5000) {
  if (!groups.has(pid)) return;
  if (!signalGroup(pid, 'SIGTERM')) {
    groups.delete(pid);
    return;
  }
  const deadline = Date.now() + graceMs;
  // The leader may exit before its children: poll the whole group, not the child object.
  while (Date.now() < deadline && groupRunning(pid)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (groupRunning(pid)) console.log(`e2e: ${groups.get(pid)} outlived SIGTERM by ${graceMs} ms, killing it`);
  signalGroup(pid, 'SIGKILL');
  groups.delete(pid);
}

/** Stops every registered group; with `final`, marks the run as shutting down first. */
export async function stopAll(graceMs, { final = false } = {}) {
  if (final) shuttingDown = true;
  await Promise.all([...groups.keys()].map((pid) => stopGroup(pid, graceMs)));
}

/** Last resort from a synchronous 'exit' handler. */
export function killAllSync() {
  for (const pid of groups.keys()) signalGroup(pid, 'SIGKILL');
  groups.clear();
}
