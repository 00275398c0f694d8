import { buildApp } from './build-app.ts';

// The CDK CLI runs this file (cdk.json "app"); everything it builds lives in build-app.ts so tests build the same app.
buildApp().app.synth();
