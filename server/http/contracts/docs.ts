// Contracts of the API's own description: the OpenAPI document and its reference page.
import { z } from 'zod';
import { defineRoute } from '../contract';

export const openApiJson = defineRoute({
  method: 'get',
  path: '/api/openapi.json',
  tag: 'docs',
  summary: { zh: 'OpenAPI 文档', en: 'This document' },
  description: 'OpenAPI 3.1, generated from the zod schemas the routes validate with.',
  access: 'public',
  responses: { 200: z.record(z.string(), z.unknown()) },
});

export const docsPage = defineRoute({
  method: 'get',
  path: '/api/docs',
  tag: 'docs',
  summary: { zh: '接口参考', en: 'API reference page' },
  description: 'A readable page of this document (Swagger UI, served from this server; works offline).',
  access: 'public',
  responses: { 200: { content: { 'text/html': 'text' } } },
});

/** The files the reference page loads, by name (nothing else is served). */
export const DocsFilePath = z.object({ file: z.enum(['swagger-ui.css', 'swagger-ui-bundle.js', 'theme.css', 'init.js']) });

export const docsFile = defineRoute({
  method: 'get',
  path: '/api/docs/{file}',
  tag: 'docs',
  summary: { zh: '接口参考页资源', en: "The reference page's scripts and styles" },
  access: 'public',
  params: DocsFilePath,
  responses: { 200: { content: { 'text/css': 'text', 'text/javascript': 'text' } } },
  errors: { 404: 'no such file' },
});
