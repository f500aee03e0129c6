import { checkSyntax } from '@webrequests/scenario-syntax';

describe('checkSyntax', () => {
  it('accepts the body of an async function, with top-level await and return', () => {
    expect(checkSyntax('const name = query.name ?? "world";\nawait sleep(1);\nreturn { greeting: `Hello, ${name}` };')).toBeNull();
    expect(checkSyntax('')).toBeNull();
    expect(checkSyntax('return 1 // a comment on the last line')).toBeNull();
  });

  it('names the error and the line it is on', () => {
    expect(checkSyntax('const a = 1;\nconst b = ;\nreturn { a, b };')).toBe("SyntaxError: Unexpected token ';' (line 2)");
    expect(checkSyntax('let x = 1;\nlet x = 2;')).toBe("SyntaxError: Identifier 'x' has already been declared (line 2)");
  });

  it('says when the scenario leaves a bracket open', () => {
    expect(checkSyntax('if (method === "POST") {\n  return {};')).toMatch(/^SyntaxError: .* \(at the end of the scenario\)$/);
  });

  it('refuses a source that closes the function it runs in', () => {
    expect(checkSyntax('}); globalThis.outside = 1; (async () => {')).toMatch(/^SyntaxError: .*the body of one function/);
  });

  it('does not run the source', () => {
    expect(checkSyntax('globalThis.ran = true; throw new Error("ran")')).toBeNull();
    expect((globalThis as { ran?: unknown }).ran).toBeUndefined();
  });
});
