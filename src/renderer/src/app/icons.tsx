// Inline 16 px line icons (no icon font: the CSP allows only same-origin resources, and these are tiny).
import type { ReactNode } from 'react';
import type { PageName } from './router';

function Svg({ children }: { children: ReactNode }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const pageIcons: Record<PageName, ReactNode> = {
  endpoints: (
    <Svg>
      <circle cx="4" cy="8" r="2" />
      <circle cx="12" cy="4" r="2" />
      <circle cx="12" cy="12" r="2" />
      <path d="M6 7l4-2M6 9l4 2" />
    </Svg>
  ),
  compose: (
    <Svg>
      <path d="M2 8l12-5-4 12-2-5z" />
      <path d="M8 10l6-7" />
    </Svg>
  ),
  deliveries: (
    <Svg>
      <path d="M2 4h12M2 8h12M2 12h8" />
    </Svg>
  ),
  events: (
    <Svg>
      <circle cx="3.5" cy="4" r="1.5" />
      <circle cx="3.5" cy="12" r="1.5" />
      <path d="M7 4h7M7 12h7M3.5 5.5v5" />
    </Svg>
  ),
  inbox: (
    <Svg>
      <path d="M2 9l2-6h8l2 6v4H2z" />
      <path d="M2 9h3.5l1 2h3l1-2H14" />
    </Svg>
  ),
  settings: (
    <Svg>
      <circle cx="8" cy="8" r="2" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </Svg>
  ),
};

export const PlusIcon = (
  <Svg>
    <path d="M8 3v10M3 8h10" />
  </Svg>
);

export const SearchIcon = (
  <Svg>
    <circle cx="7" cy="7" r="4.5" />
    <path d="M10.5 10.5L14 14" />
  </Svg>
);

export const LogoIcon = (
  <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
    <rect width="20" height="20" rx="5" fill="var(--accent)" />
    <path
      d="M6 5v6a4 4 0 0 0 8 0V9m0 0l-2 2m2-2l2 2"
      fill="none"
      stroke="var(--accent-text)"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
    />
  </svg>
);
