/** A row of tabs (ARIA tablist); the caller renders the selected panel. */
export function TabBar<K extends string>({
  tabs,
  selected,
  onSelect,
  label,
  testId,
}: {
  tabs: readonly K[];
  selected: K;
  onSelect(k: K): void;
  /** The visible name of each tab. */
  label(k: K): string;
  /** data-testid of each tab: `${testId}-${k}`. */
  testId: string;
}) {
  return (
    <div className="pw-tabs" role="tablist">
      {tabs.map((k) => (
        <button
          key={k}
          role="tab"
          aria-selected={selected === k}
          className="pw-tab"
          onClick={() => onSelect(k)}
          data-testid={`${testId}-${k}`}
        >
          {label(k)}
        </button>
      ))}
    </div>
  );
}
