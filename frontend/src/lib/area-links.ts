/**
 * Where a named project, template or cloud environment is shown: its area's list, filtered to that name (the list
 * pages take `?q=`; there is no detail page for them yet).
 */
export function areaLink(provider: string, area: 'projects' | 'templates' | 'cloud-environments', name: string): string {
  return `/${provider}/${area}?q=${encodeURIComponent(name)}`;
}
