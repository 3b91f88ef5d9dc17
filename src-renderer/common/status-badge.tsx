/** How a run's state is coloured: waiting, under way, done well, or stopped short. */
export type BadgeTone = 'pending' | 'active' | 'good' | 'bad';

/** A run's state as a pill: its words, in the colour of its tone. */
export function StatusBadge({ label, tone, testId }: { label: string; tone: BadgeTone; testId: string }) {
  return (
    <span className={`status-badge status-badge-${tone}`} data-testid={testId}>
      {label}
    </span>
  );
}
