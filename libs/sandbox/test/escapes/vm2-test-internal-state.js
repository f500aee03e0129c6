// Source: vm2 test/vm.js "internal state attack", https://github.com/patriksimek/vm2/blob/main/test/vm.js.
// @refused-at-compile-ok
// Tried: declare or assign vm2's internal state variable so its handleException/wrapWith helpers are
// replaced. The name is built at run time, since a source naming it is refused outright; each form
// goes through eval so one refusal does not stop the others.
const name = 'VM2_INTERNAL' + '_STATE_DO_NOT_USE_OR_PROGRAM_WILL_FAIL';
const out = {};
for (const form of [`${name}="async";`, `const ${name} = "async";`, `var ${name} = "async";`, `let ${name} = "async";`, `class ${name} {}; // async`, `function ${name} () {}; // async`, `${name}`]) {
  try {
    const value = eval(form);
    out[form] = typeof value;
    __wr.use(value, form);
  } catch (e) {
    out[form] = String(e.message).slice(0, 80);
  }
}
return out;
