// Source: vm2 test/ghsa/GHSA-wp5r-2gw5-m7q7/repro.js (fixed in vm2 3.11.0): the transformer skipped
// sources without catch/import/async, so they could name vm2's internal state and use `with` on it;
// unicode escapes hid the name from a literal check.
// Tried: each variant through eval (vm2 transforms eval'd code the same way), so that one refusal
// does not stop the others: the plain name, `with (state)`, \u0056 and \u{56} escapes.
const out = {};
const forms = [
  'var x = VM2_INTERNAL_STATE' + '_DO_NOT_USE_OR_PROGRAM_WILL_FAIL; x;',
  'var captured; with (VM2_INTERNAL_STATE' + '_DO_NOT_USE_OR_PROGRAM_WILL_FAIL) { captured = handleException; } captured;',
  'var x = \\u0056M2_INTERNAL_STATE' + '_DO_NOT_USE_OR_PROGRAM_WILL_FAIL; x;',
  'var x = \\u{56}M2_INTERNAL_STATE' + '_DO_NOT_USE_OR_PROGRAM_WILL_FAIL; x;',
  'var x = \\u0056\\u004D2_INTERNAL_STATE' + '_DO_NOT_USE_OR_PROGRAM_WILL_FAIL; x;',
];
forms.forEach((form, i) => {
  try {
    const value = eval(form);
    out['form' + i] = typeof value;
    if (value) { __wr.use(value, 'form ' + i); for (const k of ['handleException', 'wrapWith', 'import']) __wr.use(value[k], 'form ' + i + '.' + k); }
  } catch (e) { out['form' + i] = String(e.message).slice(0, 80); }
  try { const value = Function(form.replace(/; x;$/, '; return x;'))(); __wr.use(value, 'Function form ' + i); } catch (e) {}
});
return out;
