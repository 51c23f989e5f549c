import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Contrast (WCAG AA, 4.5:1 for text, checked by axe in e2e): Mantine's default shade 6 is too light for white text
// and links, and its dimmed grey too light on white; shade 8, a darker grey and auto-contrast text on filled
// badges and buttons pass.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  defaultRadius: 'sm',
});

/** `#rrggbb` mixed with black: `share` of the colour is kept. */
function darken(hex: string, share: number): string {
  const channels = [1, 3, 5].map((at) => Math.round(parseInt(hex.slice(at, at + 2), 16) * share));
  return `#${channels.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Light-variant text (status badges, alerts) is the darkest shade of its colour, which on its own pale background
 * is still below 4.5:1 for yellow, orange and green: darken it further. Links get the darker blue too.
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-9)',
    ...Object.fromEntries(
      Object.entries(resolved.colors).map(([name, shades]) => [`--mantine-color-${name}-light-color`, darken(shades[9], 0.65)]),
    ),
  },
  dark: {},
});
