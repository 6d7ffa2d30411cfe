// Facts about this build, baked in when it is built. This committed file is what a development
// tree runs (tests, ts sources): the git commit is "unknown" there. `npm run build`
// (scripts/build.js) writes the real values into the compiled twin dist/src/cli/build-info.js and
// into the bundles, from package.json and `git rev-parse HEAD`; nothing runs git at run time.

export interface BuildInfo {
  /** The plugin version (package.json "version"). */
  readonly version: string;
  /** The commit the build was made from, "-dirty" when tracked files had changes; or "unknown". */
  readonly gitCommit: string;
}

// Keep `version` equal to package.json's (a unit test checks it).
export const BUILD_INFO: BuildInfo = { version: '0.1.0', gitCommit: 'unknown' };
