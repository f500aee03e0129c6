import { VMScript } from 'vm2';
import { SCENARIO_FILENAME, wrapScenario } from '@webrequests/scenario-syntax';

/**
 * Characters before the scenario's first one on line 1 of the compiled wrapper (see `wrapScenario`):
 * what a column on line 1 has in excess. The source starts on line 1, so lines need no correction.
 */
export const WRAPPER_PREFIX_LENGTH = wrapScenario('').indexOf('\n');

/** The file name the prelude is compiled under (sandbox-prelude.ts): its frame calls the wrapper. */
const PRELUDE_FILENAME = 'prelude.js';

/**
 * The stack format of every error made in a VM, installed as the sandbox's `Error.prepareStackTrace`
 * before the VM is hardened (so the realm guard puts it back before each run). vm2's own default
 * writes `at CallSite {}` for every frame, to hide host paths; this one keeps the scenario's frames,
 * at the scenario's own lines and columns, and drops the rest: host frames (vm2 shows them with no file
 * name), built-ins, code made with `eval`/`Function`, the prelude and the wrapper's own call:
 *
 *     TypeError: Cannot read properties of null (reading 'id')
 *         at handler (line 4, column 12)
 *         at line 9, column 1
 *
 * vm2 wraps what it hands this function: each frame answers only its getters, null for host frames.
 * Nothing here may throw (a stack that fails to format is a host error in the sandbox), and it uses
 * only the frames' own methods, so a scenario's changes to built-ins (which are frozen anyway) are moot.
 */
const STACK_FORMAT_SOURCE = `(() => {
  'use strict';
  const FILE = ${JSON.stringify(SCENARIO_FILENAME)}, PRELUDE = ${JSON.stringify(PRELUDE_FILENAME)}, PREFIX = ${WRAPPER_PREFIX_LENGTH};
  const text = (value, fallback) => {
    try {
      if (typeof value === 'string') return value;
      if (value === undefined || value === null) return fallback;
      return typeof value === 'symbol' ? value.toString() : '' + value;
    } catch (e) {
      return fallback;
    }
  };
  const headerOf = (error) => {
    let name, message;
    try { name = text(error.name, 'Error'); } catch (e) { name = 'Error'; }
    try { message = text(error.message, ''); } catch (e) { message = ''; }
    return message ? name + ': ' + message : name;
  };
  const fileOf = (frame) => {
    try { return frame.getFileName(); } catch (e) { return null; }
  };
  const frameText = (frame) => {
    let line = frame.getLineNumber(), column = frame.getColumnNumber();
    if (typeof line !== 'number' || typeof column !== 'number') return null;
    if (line === 1) {
      if (column <= PREFIX) return null;
      column -= PREFIX;
    }
    const name = frame.getFunctionName();
    const kind = (frame.isAsync() ? 'async ' : '') + (frame.isConstructor() ? 'new ' : '');
    const where = 'line ' + line + ', column ' + column;
    return '    at ' + kind + (typeof name === 'string' && name !== '' ? name + ' (' + where + ')' : where);
  };
  Error.prepareStackTrace = function scenarioStack(error, frames) {
    let stack = headerOf(error);
    try {
      const count = frames.length;
      for (let i = 0; i < count; i++) {
        const frame = frames[i];
        if (fileOf(frame) !== FILE) continue;
        // The wrapper's arrow, called by the prelude: not a line of the scenario.
        if (i + 1 < count && fileOf(frames[i + 1]) === PRELUDE) continue;
        try {
          const line = frameText(frame);
          if (line !== null) stack += '\\n' + line;
        } catch (e) {
          // A frame that cannot be read is left out.
        }
      }
    } catch (e) {
      // The header alone, then.
    }
    return stack;
  };
})()`;

/** The stack format, compiled once per thread; run it in each VM before it is hardened. */
export const stackFormatScript = new VMScript(STACK_FORMAT_SOURCE, 'stack-format.js').compile();

/** One `    at …` line of a scenario stack: optional name, then `line L, column C`. */
const FRAME = /^ {4}at (?:async )?(?:new )?(?:[^\n()]{1,200} \()?line (\d+), column (\d+)\)?$/;

/**
 * One frame in V8's own format at the compiled scenario (`    at name (scenario.js:L:C)`), as a host
 * error's stack shows it: vm2 drops the host frames of an error a host helper throws, and keeps the rest
 * as V8 wrote them, outside the sandbox's stack format.
 */
const RAW_FRAME = new RegExp(`^ {4}at (async )?(new )?(?:([^\\n()]{1,200}) \\()?${SCENARIO_FILENAME.replace('.', '\\.')}:(\\d+):(\\d+)\\)?$`);
const RAW_PRELUDE_FRAME = new RegExp(`[ (]${PRELUDE_FILENAME.replace('.', '\\.')}:\\d+:\\d+\\)?$`);

/** At most this many frames are kept in a record. */
const MAX_FRAMES = 20;

/** Where a scenario error was thrown, and the scenario frames it came through, first to last. */
export interface ScenarioFrames {
  line: number;
  column: number;
  frames: string[];
}

/** A raw frame in the sandbox's stack format; null for the wrapper's own code. */
function fromRaw(match: RegExpExecArray): string | null {
  const [, isAsync, isNew, name] = match;
  const line = Number(match[4]);
  let column = Number(match[5]);
  if (line === 1) {
    if (column <= WRAPPER_PREFIX_LENGTH) return null;
    column -= WRAPPER_PREFIX_LENGTH;
  }
  const where = `line ${line}, column ${column}`;
  return `    at ${isAsync ?? ''}${isNew ?? ''}${name ? `${name} (${where})` : where}`;
}

/**
 * The scenario frames of a stack (other lines, such as host frames, are dropped), and the place of the
 * first one; null when it has none. Reads the sandbox's stack format, and V8's own for the scenario's
 * frames in a host error's stack (whose wrapper frame, the one the prelude called, is dropped).
 */
export function scenarioFrames(stack: unknown): ScenarioFrames | null {
  if (typeof stack !== 'string') return null;
  const frames: string[] = [];
  const places: Array<[number, number]> = [];
  const lines = stack.split('\n');
  for (let i = 0; i < lines.length && frames.length < MAX_FRAMES; i++) {
    const line = lines[i]!;
    const match = FRAME.exec(line);
    if (match) {
      frames.push(line);
      places.push([Number(match[1]), Number(match[2])]);
      continue;
    }
    const raw = RAW_FRAME.exec(line);
    if (!raw || RAW_PRELUDE_FRAME.test(lines[i + 1] ?? '')) continue;
    const converted = fromRaw(raw);
    const place = converted === null ? null : FRAME.exec(converted);
    if (converted === null || !place) continue;
    frames.push(converted);
    places.push([Number(place[1]), Number(place[2])]);
  }
  if (frames.length === 0) return null;
  const [line, column] = places[0]!;
  return { line, column, frames };
}
