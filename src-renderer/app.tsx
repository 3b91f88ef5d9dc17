/** Placeholder shell: chat, compare, feedback and settings arrive with the desktop-app issue. */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>Triad</h1>
      <p>Three model tiers: Base, Company and Abstraction. The desktop UI is being built.</p>
    </main>
  );
}
