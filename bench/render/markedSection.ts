/** A part of results.md that one bench owns, between two HTML comments, kept when another bench rewrites the file. */
export interface SectionMarkers {
  start: string;
  end: string;
}

/** The section of `markdown` between `markers`, if it has one. */
export function sectionOf(markdown: string, markers: SectionMarkers): string | undefined {
  const start = markdown.indexOf(markers.start);
  const end = markdown.indexOf(markers.end);
  return start < 0 || end < start ? undefined : `${markdown.slice(start, end + markers.end.length)}\n`;
}

/**
 * `markdown` with its section between `markers` replaced by `section`; without one, `section` goes before
 * `before` (the first of those markers found), else at the end.
 */
export function withSection(
  markdown: string,
  section: string,
  markers: SectionMarkers,
  before: readonly string[] = [],
): string {
  const start = markdown.indexOf(markers.start);
  const end = markdown.indexOf(markers.end);
  if (start >= 0 && end >= start) {
    return `${markdown.slice(0, start)}${section.trimEnd()}${markdown.slice(end + markers.end.length)}`;
  }
  const at = before.map((marker) => markdown.indexOf(marker)).find((index) => index >= 0);
  if (markdown.trim() === '') return section;
  if (at === undefined) return `${markdown.trimEnd()}\n\n${section}`;
  return `${markdown.slice(0, at)}${section.trimEnd()}\n\n${markdown.slice(at)}`;
}
