import type { TestProject } from 'vitest/node';
import { type LocalAws, startLocalAws } from '../../infra/local/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The local AWS's endpoint (`http://127.0.0.1:PORT`) and env; absent when no integration test runs.
     * The backends' endpoints are absent when reusing a running local AWS (`S3IR_LOCAL_ENDPOINT`).
     */
    localAws:
      | { endpoint: string; env: Record<string, string>; motoEndpoint?: string; dynamodbEndpoint?: string }
      | undefined;
  }
}

/** Test folders whose files talk to the local AWS. */
const LOCAL_AWS_FOLDERS = ['/test/integration/', '/test/e2e/', '/test/cli/', '/test/browser/'];

/** True when the test files of this run include an integration test (else the local AWS is not started). */
async function runsIntegrationTests(project: TestProject): Promise<boolean> {
  // `filenamePattern` holds the CLI filters (`vitest run test/unit`); without it every file counts.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const specifications = await project.vitest.getRelevantTestSpecifications(filters);
  return specifications.some((specification) =>
    LOCAL_AWS_FOLDERS.some((folder) => specification.moduleId.includes(folder)),
  );
}

/**
 * Vitest global setup: starts ONE local AWS on a free port for every integration test file and
 * hands its endpoint to the tests through `provide('localAws')` (read it with `inject('localAws')`).
 * Set `S3IR_LOCAL_ENDPOINT` to reuse a local AWS that is already running (`s3ir local start`).
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const reuse = process.env.S3IR_LOCAL_ENDPOINT;
  if (reuse) {
    project.provide('localAws', { endpoint: reuse, env: { AWS_ENDPOINT_URL: reuse } });
    return undefined;
  }
  if (!(await runsIntegrationTests(project))) {
    project.provide('localAws', undefined);
    return undefined;
  }
  const local: LocalAws = await startLocalAws({ port: 0 });
  process.stderr.write(`[globalSetup] local AWS ready on ${local.endpoint} in ${local.startupMs} ms\n`);
  project.provide('localAws', {
    endpoint: local.endpoint,
    env: { ...local.env },
    motoEndpoint: local.backends.moto,
    dynamodbEndpoint: local.backends.dynamodb,
  });
  return () => local.stop();
}
