import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
    commandsForLanguageClient,
    fixAllArguments,
    fixAllOutcome,
    normalizeRuleCode,
    reportWithRelativeLinks,
    ruleDocsMarkdown,
    shippedRuleDocUri,
} from '../src/core/serverCommands';

describe('commandsForLanguageClient', () => {
    test('leaves the commands the extension wraps to the extension', () => {
        assert.deepEqual(
            commandsForLanguageClient(['mlreview.fixAll', 'mlreview.showRule', 'mlreview.showReport', 'mlreview.noqa']),
            ['mlreview.noqa'],
        );
        assert.deepEqual(commandsForLanguageClient([]), []);
    });
});

describe('fixAll', () => {
    test('the palette sends the document URI', () => {
        assert.deepEqual(fixAllArguments('file:///w/train.py'), ['file:///w/train.py']);
    });

    test('a WorkspaceEdit answer, in either shape, is for the client to apply', () => {
        const changes = { changes: { 'file:///w/train.py': [{}, {}] } };
        const documentChanges = { documentChanges: [{ textDocument: {}, edits: [] }] };
        assert.deepEqual(fixAllOutcome(changes), { kind: 'edit', edit: changes });
        assert.deepEqual(fixAllOutcome(documentChanges), { kind: 'edit', edit: documentChanges });
    });

    test('an empty edit or {"applied": false} means nothing to fix', () => {
        assert.deepEqual(fixAllOutcome({ changes: {} }), { kind: 'nothingToFix' });
        assert.deepEqual(fixAllOutcome({ changes: { 'file:///a.py': [] } }), { kind: 'nothingToFix' });
        assert.deepEqual(fixAllOutcome({ applied: false }), { kind: 'nothingToFix' });
    });

    test('null or {"applied": true}: the server applied the edit itself', () => {
        for (const answer of [null, undefined, { applied: true }, 'done']) {
            assert.deepEqual(fixAllOutcome(answer), { kind: 'appliedByServer' }, JSON.stringify(answer));
        }
    });
});

describe('showRule', () => {
    test('accepts a markdown string or MarkupContent', () => {
        assert.equal(ruleDocsMarkdown('# ML201'), '# ML201');
        assert.equal(ruleDocsMarkdown({ kind: 'markdown', value: '# ML201' }), '# ML201');
        assert.equal(ruleDocsMarkdown(null), undefined);
        assert.equal(ruleDocsMarkdown({ kind: 'markdown' }), undefined);
    });

    test('finds the shipped page from the principle link', () => {
        const shipped = '**Principle:** [Reproducibility](file:///opt/ext/bundled/libs/mlreview/docs/principles.md#reproducibility) · x';
        assert.equal(shippedRuleDocUri(shipped, 'ML201'), 'file:///opt/ext/bundled/libs/mlreview/docs/rules/ML201.md');
        const spaced = '[Reproducibility](file:///c%3A/Users/A%20B/docs/principles.md#reproducibility)';
        assert.equal(shippedRuleDocUri(spaced, 'ML101'), 'file:///c%3A/Users/A%20B/docs/rules/ML101.md');
    });

    test('has no shipped page when the docs are on a site', () => {
        const site = '**Principle:** [Reproducibility](https://docs.example/principles.md#reproducibility)';
        assert.equal(shippedRuleDocUri(site, 'ML201'), undefined);
        assert.equal(shippedRuleDocUri('# ML201 no links', 'ML201'), undefined);
    });

    test('normalizes what people type as a code', () => {
        assert.equal(normalizeRuleCode(' ml201 '), 'ML201');
        assert.equal(normalizeRuleCode('ML1'), 'ML1');
        assert.equal(normalizeRuleCode('fit-before-split'), undefined);
        assert.equal(normalizeRuleCode(''), undefined);
    });
});

describe('reportWithRelativeLinks', () => {
    const report = 'file:///home/me/.vscode/storage/ab12/mlreview/Project%20Report.md';

    test("makes the server's file: links relative to the report, keeping the line", () => {
        const markdown = '| no experiment tracking | ML601 [train.py:15](file:///work/churn/train.py#L15) |';
        assert.equal(
            reportWithRelativeLinks(markdown, report),
            '| no experiment tracking | ML601 [train.py:15](../../../../../../work/churn/train.py#L15) |',
        );
    });

    test('keeps percent-encoded names encoded and leaves other links alone', () => {
        const markdown = '[a](file:///work/my%20project%20%C3%A9/nb.ipynb) [b](https://example.org/x) [c](train.py#L2)';
        assert.equal(
            reportWithRelativeLinks(markdown, 'file:///work/storage/Project%20Report.md'),
            '[a](../my%20project%20%C3%A9/nb.ipynb) [b](https://example.org/x) [c](train.py#L2)',
        );
    });
});
