import type { ViewerPage } from '../lib/api/responses.js';

/** Where `npm run viewer` writes the page. */
export const VIEWER_PAGE_PATH: string;
/** The viewer as one self-contained page with its CSP hashes, built fresh from viewer/. */
export function buildViewerPage(): Promise<ViewerPage>;
/** The text of lib/api/viewerPage.generated.ts for a page. */
export function viewerPageModule(page: ViewerPage): string;
