/** The Review page (being built: issue 8). */
export function ReviewView() {
  return <section className="page-placeholder">Review</section>;
}
