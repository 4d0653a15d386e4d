'use client';
// 单证: the movement's documents from the customs systems, told as a story (declaration, bills
// and containers, e-seal, inspection, gates, site ledgers, zone passes, port call), each with
// what it said and a way to its raw message; where it stands with inspection, and the officer's
// button to flag it. Reloaded whenever the journey is (useJourneys), so a gate pass shows up
// without a reload.
import { useCallback, useEffect, useRef, useState } from 'react';
import { documentTime, inspectionState, isCritical, storyOf, type LinkDocument } from '../../lib/linkDocuments';
import { formatShortTime } from '../../lib/format';
import { SeverityIcon } from '../alerts/SeverityIcon';
import { getJson } from '../getJson';
import { useFormat, useLang } from '../I18nProvider';
import { useCanAct } from '../useCanAct';
import { FlagInspectionDialog, flagForInspection } from './FlagInspectionDialog';
import { RawMessageDrawer } from './RawMessageDrawer';
import { SummaryList, useSummaryWords } from './SummaryList';
import { systemName } from './systemName';

function DocumentItem({ doc, now, onOpen }: { doc: LinkDocument; now: number; onOpen: () => void }) {
  const { t } = useLang();
  const f = useFormat();
  const critical = isCritical(doc);
  const at = documentTime(doc);
  return (
    <li className={`doc${critical ? ' critical' : ''}`} data-testid="document" data-system={doc.system} data-critical={critical}>
      {/* A port call is detected, not sent: it has no raw message (a negative id). */}
      <button type="button" className="doc-open" onClick={onOpen} disabled={doc.id <= 0} title={doc.id > 0 ? t('docs.open') : undefined} data-testid="document-open">
        {critical && <SeverityIcon severity="critical" />}
        <span className="doc-type mono">{doc.messageType}</span>
        {critical && <span className="doc-flag">{t('docs.critical')}</span>}
        <time className="doc-time mono" dateTime={new Date(at).toISOString()}>
          {formatShortTime(at)}
        </time>
        <span className="doc-age secondary">{f.age(Math.max(0, now - at))}</span>
      </button>
      <SummaryList doc={doc} />
    </li>
  );
}

export function DocumentsSection({
  consignmentId,
  reference,
  status,
  refreshKey,
  now,
}: {
  consignmentId: number;
  reference: string;
  status: string;
  /** Changes whenever the journey is refreshed: the documents are asked for again then. */
  refreshKey: unknown;
  now: number;
}) {
  const { t, tOther } = useLang();
  const canAct = useCanAct();
  const words = useSummaryWords();
  const [docs, setDocs] = useState<LinkDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [flagging, setFlagging] = useState(false);
  const [justFlagged, setJustFlagged] = useState(false);
  const asked = useRef(0);

  const load = useCallback(() => {
    const n = ++asked.current;
    getJson<{ documents: LinkDocument[] }>(`/api/consignments/${consignmentId}/documents`).then(
      (r) => {
        if (n !== asked.current) return; // an older answer overtaken by a newer question
        setDocs(r.documents);
        setError(null);
      },
      (e: Error) => n === asked.current && setError(e.message),
    );
  }, [consignmentId]);

  useEffect(() => {
    setDocs(null);
    setError(null);
    setJustFlagged(false);
  }, [consignmentId]);
  useEffect(load, [load, refreshKey]);

  const closeRaw = useCallback(() => setOpen(null), []);
  const cancelFlag = useCallback(() => setFlagging(false), []);
  const submitFlag = async (reason: string) => {
    const refused = await flagForInspection(consignmentId, reason);
    if (refused === null) {
      setFlagging(false);
      setJustFlagged(true);
      load();
    }
    return refused;
  };

  const inspection = inspectionState(docs ?? []);
  const flagged = inspection.state === 'flagged' || (justFlagged && inspection.state === 'none');
  const ended = status === 'closed' || status === 'cancelled';
  const groups = storyOf(docs ?? []);

  return (
    <section className="panel-section docs" aria-label={t('docs.title')} data-testid="documents">
      <h3>
        <span>
          {t('docs.title')} <span className="other-lang">{tOther('docs.title')}</span>
        </span>
        {docs && <span>{t('docs.count', { count: docs.length })}</span>}
      </h3>
      <div className="docs-inspection">
        {flagged && (
          <span className="insp-chip flagged" data-testid="inspection-state" data-state="flagged">
            <SeverityIcon severity="warning" />
            {t('docs.flagged')}
          </span>
        )}
        {inspection.state === 'done' && !flagged && (
          <span className="insp-chip done" data-testid="inspection-state" data-state="done">
            {t('docs.inspected', { result: words.value('result', inspection.result) })}
          </span>
        )}
        {canAct && !flagged && !ended && (
          <button type="button" className="btn flag-btn" onClick={() => setFlagging(true)} data-testid="flag-inspection">
            {t('docs.flag')}
          </button>
        )}
      </div>
      {!docs && !error && <p className="secondary small">{t('docs.loading')}</p>}
      {error && (
        <p className="console-error small" role="alert">
          {t('docs.loadFailed', { error })}
        </p>
      )}
      {docs && docs.length === 0 && <p className="secondary small">{t('docs.empty')}</p>}
      {groups.map((g) => (
        <div key={g.system} className="doc-group" data-testid="document-group" data-system={g.system}>
          <div className="doc-group-head">
            <span className="doc-sys">{systemName(t, g.system)}</span>
            <span className="other-lang">{systemName(tOther, g.system)}</span>
          </div>
          <ul className="doc-list">
            {g.documents.map((d) => (
              <DocumentItem key={d.id} doc={d} now={now} onOpen={() => setOpen(d.id)} />
            ))}
          </ul>
        </div>
      ))}
      {open !== null && <RawMessageDrawer id={open} onClose={closeRaw} />}
      {flagging && <FlagInspectionDialog reference={reference} onCancel={cancelFlag} onSubmit={submitFlag} />}
    </section>
  );
}
