import { parseAuditTime } from '../lib/core/audit/parseAuditTime.js';
import type { AuditEvent } from '../lib/core/audit/types.js';
import { AuditAction } from '../lib/core/audit/types.js';
import { ApiFailure, type EventFilters, fetchAnchor, fetchEvents, fetchStatus, fetchVerify } from './api.js';
import { byId, el } from './dom.js';
import { anchorIndicator } from './renderAnchor.js';
import { changeSummary, diffTable } from './renderDiff.js';
import { eventRow } from './renderEvents.js';
import { statusRows, statusSummary } from './renderStatus.js';
import { verifyIndicator } from './renderVerify.js';

// The viewer: the status of every bucket, the audit timeline with filters and "load more", each change's
// before/after side by side, and the hash-chain indicator. Plain DOM, no framework; bundled into one page
// by scripts/buildViewer.mjs. It opens on the last 7 days (the since field's default), and checks the
// chains changed in that window: what a page load reads grows with the window, not with the table.

/** The window the timeline opens on and "Clear" returns to, and the one the chain check covers. */
const DEFAULT_SINCE = '7d';

const filtersForm = byId<HTMLFormElement>('filters');
const eventsTable = byId<HTMLTableElement>('events-table');
const eventsBody = byId<HTMLTableSectionElement>('events-body');
const eventsMessage = byId<HTMLParagraphElement>('events-message');
const moreButton = byId<HTMLButtonElement>('more');
const detail = byId<HTMLElement>('detail');

const describe = (error: unknown) => (error instanceof ApiFailure ? error.message : String(error));

/** The timeline's state: its filters, the token of the next page, and which load is the latest. */
const timeline = {
  filters: { since: absolute(DEFAULT_SINCE) } as EventFilters,
  next: undefined as string | undefined,
  load: 0,
};

async function showStatus(): Promise<void> {
  const counts = byId<HTMLParagraphElement>('status-counts');
  try {
    const status = await fetchStatus();
    byId('status-body').replaceChildren(...statusRows(status));
    counts.textContent = statusSummary(status);
    byId('bucket-names').replaceChildren(
      ...status.buckets.map(({ bucket }) => el('option', { value: bucket })),
    );
  } catch (error) {
    counts.textContent = `Could not load the bucket status: ${describe(error)}`;
    counts.classList.add('error');
  }
}

async function showVerify(): Promise<void> {
  const indicator = byId<HTMLParagraphElement>('verify');
  try {
    const { state, text } = verifyIndicator(await fetchVerify(DEFAULT_SINCE));
    indicator.textContent = text;
    indicator.dataset.state = state;
  } catch (error) {
    indicator.textContent = `Audit chain not checked: ${describe(error)}`;
    indicator.dataset.state = 'unknown';
  }
}

/** The anchor line (issue 16): last anchored, and whether the table matches the newest digest. */
async function showAnchor(): Promise<void> {
  const indicator = byId<HTMLParagraphElement>('anchor');
  try {
    const { state, text } = anchorIndicator(await fetchAnchor());
    indicator.textContent = text;
    indicator.dataset.state = state;
  } catch (error) {
    indicator.textContent = `Anchors not checked: ${describe(error)}`;
    indicator.dataset.state = 'unknown';
  }
}

function openChange(event: AuditEvent, row: HTMLTableRowElement): void {
  for (const selected of eventsBody.querySelectorAll('tr[aria-selected="true"]'))
    selected.removeAttribute('aria-selected');
  row.setAttribute('aria-selected', 'true');
  const { table, lines } = diffTable(event);
  byId('detail-summary').textContent = changeSummary(event, lines);
  byId('detail-diff').replaceChildren(table);
  detail.hidden = false;
  byId('detail-heading').focus();
}

/** Events a load shows at least when the history has them (the API's default page). */
const SCREENFUL = 100;
/** Requests one load makes at most: 16 requests of 2 days each look a month back. */
const MAX_REQUESTS = 16;

/** Loads the first page for the current filters, or (`more`) the next page onto the rows shown. */
async function showEvents(more: boolean): Promise<void> {
  const load = ++timeline.load;
  eventsTable.setAttribute('aria-busy', 'true');
  eventsMessage.textContent = 'Loading events…';
  eventsMessage.classList.remove('error');
  moreButton.disabled = true;
  try {
    // Each request reads at most two days of the history (the API bounds its pages): over quiet days a page
    // comes back short with `next`, which is followed here until a screenful is shown or the requests run out.
    let page = await fetchEvents(timeline.filters, more ? timeline.next : undefined);
    const events = [...page.events];
    for (let request = 1; page.next && events.length < SCREENFUL && request < MAX_REQUESTS; request++) {
      if (load !== timeline.load) return;
      page = await fetchEvents(timeline.filters, page.next, SCREENFUL - events.length);
      events.push(...page.events);
    }
    // A newer load (the filters changed meanwhile) owns the table now.
    if (load !== timeline.load) return;
    const rows = events.map((event) => eventRow(event, openChange));
    if (more) eventsBody.append(...rows);
    else eventsBody.replaceChildren(...rows);
    timeline.next = page.next;
    const shown = eventsBody.rows.length;
    eventsMessage.textContent =
      shown === 0
        ? 'No events match.'
        : `${shown} event${shown === 1 ? '' : 's'} shown, newest first${page.next ? '; more below' : ''}.`;
    moreButton.hidden = page.next === undefined;
  } catch (error) {
    if (load !== timeline.load) return;
    eventsMessage.textContent = `Could not load events: ${describe(error)}`;
    eventsMessage.classList.add('error');
  } finally {
    if (load === timeline.load) {
      moreButton.disabled = false;
      eventsTable.removeAttribute('aria-busy');
    }
  }
}

/**
 * A duration ("7d") as the time it means now: every page of one timeline then asks the very same query (a
 * `next` token is bound to its query, and "7d" would mean a later time at each "Load more"). Any other text
 * goes to the API as typed, which names what is wrong with it.
 */
function absolute(text: string): string {
  return /^\d+[smhdw]$/.test(text) ? parseAuditTime('since', text, new Date()) : text;
}

function readFilters(): EventFilters {
  const data = new FormData(filtersForm);
  const value = (name: string) => String(data.get(name) ?? '').trim() || undefined;
  const filters: EventFilters = {};
  for (const name of ['bucket', 'action', 'since', 'until'] as const) {
    const found = value(name);
    if (found !== undefined) filters[name] = name === 'since' || name === 'until' ? absolute(found) : found;
  }
  return filters;
}

byId<HTMLSelectElement>('action').append(
  ...Object.values(AuditAction).map((action) => el('option', { value: action }, action)),
);
filtersForm.addEventListener('submit', (event) => {
  event.preventDefault();
  timeline.filters = readFilters();
  detail.hidden = true;
  void showEvents(false);
});
filtersForm.addEventListener('reset', () => {
  // The form goes back to its default values (since = 7d) after this event.
  timeline.filters = { since: absolute(DEFAULT_SINCE) };
  detail.hidden = true;
  void showEvents(false);
});
moreButton.addEventListener('click', () => void showEvents(true));
byId('detail-close').addEventListener('click', () => {
  detail.hidden = true;
});

void Promise.all([showStatus(), showVerify(), showAnchor(), showEvents(false)]).then(() => {
  document.body.dataset.ready = 'true';
});
