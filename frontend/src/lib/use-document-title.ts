import { useEffect } from 'react';

const PRODUCT_NAME = 'Amnify Deploy';

/** Names the browser tab after the page, e.g. "Run #3 · Full Platform Rollout — Prod · Amnify Deploy". */
export function useDocumentTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}
