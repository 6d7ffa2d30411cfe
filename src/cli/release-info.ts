// Release facts that are not build-specific, in one place: the document version of every
// podres document and where the release images live.

/** apiVersion of every document kubectl podres reads or writes (cli.md §1). */
export const DOCUMENT_API_VERSION = 'podres/v1alpha1';

/**
 * The image repository of the release images (each contains kubectl-podres, for collector pods,
 * cli.md §5.8); a release's image is tagged with the plugin version.
 */
export const COLLECTOR_IMAGE_REPOSITORY = 'ghcr.io/kubectl-podres/kubectl-podres';

/** The default of --collector-image: the release image of this plugin version. */
export function defaultCollectorImage(version: string): string {
  return `${COLLECTOR_IMAGE_REPOSITORY}:${version}`;
}
