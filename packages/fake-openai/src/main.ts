#!/usr/bin/env node
// The fake OpenAI-compatible server alone: `PORT=11434 npm start -w @copycloud/fake-openai`,
// then point OPENAI_BASE_URL at http://127.0.0.1:11434/v1. Not a model: deterministic demo text.
import { startFakeOpenAI } from './server.js';

const port = Number(process.env.PORT ?? 0);
const fake = await startFakeOpenAI({ port, host: process.env.HOST ?? '127.0.0.1' });
process.stdout.write(`fake OpenAI-compatible server on ${fake.baseURL}\n`);
const stop = () => void fake.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
