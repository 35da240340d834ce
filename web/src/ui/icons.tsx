/** The few inline icons the interface uses; decorative, hidden from assistive technology. */
const base = {
  width: 18,
  height: 18,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 2,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  focusable: false,
};

export function IconMenu() {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M3 6h18M3 12h18M3 18h18" />
    </svg>
  );
}

export function IconShield() {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z" />
    </svg>
  );
}

export function IconAlert() {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M12 3l10 18H2z" />
      <path d="M12 10v5M12 18h.01" />
    </svg>
  );
}

export function IconCheck() {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M5 12l5 5 9-10" />
    </svg>
  );
}

export function IconClose() {
  return (
    <svg {...base} aria-hidden="true">
      <path d="M6 6l12 12M18 6L6 18" />
    </svg>
  );
}

export function IconLock() {
  return (
    <svg {...base} aria-hidden="true">
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </svg>
  );
}
