/** The detail page of a project. */
export function projectHref(provider: string, projectId: string): string {
  return `/${provider}/projects/${projectId}`;
}

/** The detail page of a template. */
export function templateHref(provider: string, templateId: string): string {
  return `/${provider}/templates/${encodeURIComponent(templateId)}`;
}

/** Cloud environments have no page of their own: their list, filtered to that name (the list takes `?q=`). */
export function cloudEnvironmentHref(provider: string, name: string): string {
  return `/${provider}/cloud-environments?q=${encodeURIComponent(name)}`;
}
