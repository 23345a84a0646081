/** A horizontal meter for a 0..1 level; speech RMS rarely passes 0.3, so it is scaled up. */
export function LevelMeter(props: { level: number; label: string }) {
  const percent = () => Math.min(100, Math.round(Math.sqrt(props.level) * 160));
  return (
    // biome-ignore lint/a11y/useSemanticElements: <meter> cannot be styled alike across browsers
    <div
      class="level-meter"
      role="meter"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent()}
    >
      <div class="level-meter-fill" style={{ transform: `scaleX(${percent() / 100})` }} />
    </div>
  );
}
