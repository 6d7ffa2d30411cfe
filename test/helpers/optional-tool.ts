// Tests that drive an external program (a shell, an emulator) run when it is installed. In CI
// (CI=true) .ci/run installs them, so a missing one is a failure there, never a silent skip; on a
// developer machine without it the suite is skipped with a note on stderr.

export function describeWithTool(tool: string, present: boolean, name: string, fn: () => void): void {
  if (present) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${tool}, which .ci/run installs`, () => {
        throw new Error(`${tool} is not installed; .ci/run installs it with apt-get`);
      });
    });
    return;
  }
  process.stderr.write(`note: ${name}: not run, ${tool} is not installed\n`);
  describe.skip(name, fn);
}
