import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { HMAC_PRESETS } from '@webrequests/contracts';
import { SCENARIO_PARAMETERS } from '@webrequests/scenario-syntax';

const ROOT = resolve(__dirname, '../../..');
const CATALOG = join(ROOT, 'examples');
const DECLARATION = resolve(__dirname, '../scenario.d.ts');

/**
 * Opens a scenario as the body of the async function the sandbox makes of it. TypeScript refuses a
 * `return` outside a function (TS1108) and has no option to allow it; wrapped, the answer is checked
 * too. On the scenario's first line, so a diagnostic's line is the scenario's own.
 */
const WRAPPER = '/** @returns {Promise<ScenarioAnswer | void>} */ async function scenario() { ';

/** The compiler options of the catalog's jsconfig.json, so the test checks what an editor checks. */
function catalogConfig(): { options: ts.CompilerOptions; fileNames: string[] } {
  const path = join(CATALOG, 'jsconfig.json');
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, CATALOG, undefined, path);
  if (parsed.errors.length > 0) throw new Error(ts.formatDiagnostics(parsed.errors, ts.createCompilerHost({})));
  // jsconfig defaults to skipLibCheck, which would leave scenario.d.ts itself unchecked.
  const options = { ...parsed.options, checkJs: true, skipLibCheck: false, skipDefaultLibCheck: true };
  return { options, fileNames: parsed.fileNames };
}

const config = catalogConfig();
/** The ES library files, parsed once for every program of this file. */
const parsedLibs = new Map<string, ts.SourceFile | undefined>();

/**
 * Type-checks scenarios (path → source) against scenario.d.ts, each wrapped as a function body, and
 * answers every diagnostic as `examples/scenarios/x.js:3:7 TS2345 message`.
 */
function typeErrors(scenarios: Map<string, string>): string[] {
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    const source = scenarios.get(fileName);
    if (source !== undefined) return ts.createSourceFile(fileName, `${WRAPPER}${source}\n}`, languageVersion, true, ts.ScriptKind.JS);
    if (fileName === DECLARATION) return getSourceFile(fileName, languageVersion, onError);
    if (!parsedLibs.has(fileName)) parsedLibs.set(fileName, getSourceFile(fileName, languageVersion, onError));
    return parsedLibs.get(fileName);
  };
  // A scenario cannot load modules: `require('x')` must fail here even for a package the repository has.
  host.resolveModuleNameLiterals = (literals) => literals.map(() => ({ resolvedModule: undefined }));
  const program = ts.createProgram([DECLARATION, ...scenarios.keys()], config.options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code} ${message}`;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const column = line === 0 && scenarios.has(diagnostic.file.fileName) ? character - WRAPPER.length : character;
    return `${relative(ROOT, diagnostic.file.fileName)}:${line + 1}:${column + 1} TS${diagnostic.code} ${message}`;
  });
}

/** A scenario that is not on disk, named as a file of the example catalog. */
function scenario(name: string, source: string): Map<string, string> {
  return new Map([[join(CATALOG, 'scenarios', `${name}.js`), source]]);
}

describe('scenario.d.ts', () => {
  it('type-checks every example scenario, with the options of examples/jsconfig.json', () => {
    const names = readdirSync(join(CATALOG, 'scenarios')).filter((name) => name.endsWith('.js'));
    expect(names.length).toBeGreaterThan(0);
    const paths = names.map((name) => join(CATALOG, 'scenarios', name));
    // What an editor opens with jsconfig.json: every scenario, and the declaration.
    expect(new Set(config.fileNames)).toEqual(new Set([...paths, DECLARATION]));
    expect(typeErrors(new Map(paths.map((path) => [path, readFileSync(path, 'utf8')])))).toEqual([]);
  });

  it('accepts every variable and helper used as docs/scenarios.md describes', () => {
    const source = [
      "const token = String(query.token ?? '') + String(cookies.session ?? '') + String(headers['x-api-key'] ?? '');",
      'const upload = files[0] ? Buffer.from(files[0].base64, "base64") : Buffer.alloc(0);',
      "const signature = crypto.createHmac('sha256', secrets['partner-key'] ?? '').update(rawBody).digest('hex');",
      "const same = crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(String(headers['x-signature'] ?? '')));",
      "const hash = crypto.createHash('sha1').update(upload).digest().toString('base64url');",
      "const target = new URL('/next?x=1', url);",
      "const params = new URLSearchParams(rawBody);",
      'const text = new TextDecoder().decode(new TextEncoder().encode(body.name));',
      "console.log('%s called by %s', method, event.auth?.preset ?? event.auth?.type ?? 'anyone', script.id, user.id);",
      'await sleep(10);',
      "const res = await fetch('https://api.example.com/v1', { method: 'POST', headers: { 'X-Id': crypto.randomUUID() }, body: { token, text } });",
      "if (!res.ok) return { $status: 502, error: await res.text(), status: res.status };",
      'const data = await res.json();',
      "if (event.async) return;",
      "return { $status: 201, $headers: { Location: target.href, 'Set-Cookie': ['a=1', 'b=2'] }, $body: upload, same, hash, id: params.get('id'), data };",
    ].join('\n');
    expect(typeErrors(scenario('every-helper', source))).toEqual([]);
  });

  it('reports a name the sandbox lacks and a helper called wrongly, at its line', () => {
    const source = [
      'const key = process.env.X;',
      "const fs = require('fs');",
      "const acorn = require('acorn');",
      "await sleep('x');",
      "console.debug('x');",
      'setTimeout(() => {}, 1);',
      "const digest = crypto.createHash('sha256').update(rawBody).digest('utf16le');",
      "const res = await fetch('https://api.example.com', { body: new URLSearchParams({ a: '1' }) });",
      'document.title;',
      "return { $status: '404' };",
    ].join('\n');
    const errors = typeErrors(scenario('broken', source));
    const expected: [number, RegExp][] = [
      [1, /Cannot find name 'process'/],
      [2, /Cannot find name 'fs'/],
      [3, /Cannot find module 'acorn'/],
      [4, /'string' is not assignable to parameter of type 'number'/],
      [5, /Property 'debug' does not exist/],
      [6, /Cannot find name 'setTimeout'/],
      [7, /'"utf16le"' is not assignable to parameter of type 'ScenarioDigestEncoding'/],
      [8, /'URLSearchParams' is not assignable to type 'ScenarioFetchBody'/],
      [9, /Cannot find name 'document'/],
      [10, /Type 'string' is not assignable to type 'number'/],
    ];
    for (const [line, message] of expected) {
      expect(errors).toContainEqual(expect.stringMatching(new RegExp(`^examples/scenarios/broken\\.js:${line}:\\d+ TS\\d+ .*${message.source}`)));
    }
    const lines = new Set(errors.map((error) => Number(/^[^:]+:(\d+):/.exec(error)?.[1])));
    expect([...lines].sort((a, b) => a - b)).toEqual(expected.map(([line]) => line));
  });

  it('keeps the column of an error on the first line the scenario’s own', () => {
    expect(typeErrors(scenario('first-line', "await sleep('x');"))).toEqual([
      expect.stringMatching(/^examples\/scenarios\/first-line\.js:1:13 TS2345 /),
    ]);
  });

  it('declares every name the sandbox passes a scenario, and the presets event.auth can name', () => {
    const file = ts.createSourceFile(DECLARATION, readFileSync(DECLARATION, 'utf8'), ts.ScriptTarget.ES2022, true);
    const declared = new Set<string>();
    let presets: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node)) declared.add(node.name?.getText() ?? '');
      if (ts.isPropertySignature(node) && node.name.getText() === 'preset' && node.type && ts.isUnionTypeNode(node.type)) {
        presets = node.type.types.map((type) => type.getText().slice(1, -1));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    for (const name of [...SCENARIO_PARAMETERS, 'crypto', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder']) {
      expect([name, declared.has(name)]).toEqual([name, true]);
    }
    expect(presets).toEqual([...HMAC_PRESETS]);
  });
});
