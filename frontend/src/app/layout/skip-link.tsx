/** The target of the skip link: each layout's main area. */
export const MAIN_ID = 'main';

/** "Skip to main content", the first stop of the Tab order, shown only when focused. */
export function SkipLink() {
  return (
    <a className="skip-link" href={`#${MAIN_ID}`}>
      Skip to main content
    </a>
  );
}
