/** The Datasets page (being built: issue 8). */
export function DatasetsView() {
  return <section className="page-placeholder">Datasets</section>;
}
