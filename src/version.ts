/** The action's name and version, as sent in User-Agent headers. Kept equal to package.json by a unit test. */
export const ACTION_NAME = 'ghcr-image-action';
export const ACTION_VERSION = '0.1.0';
export const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION}`;
