import { useEffect } from 'react';

/** The tab's title names the page, so tabs, history and screen readers can tell pages apart. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Real ID` : 'Real ID';
  }, [title]);
}
