// The API reference page's own script and theme (app/api/docs): Swagger UI started on
// /api/openapi.json, and a dark override in the app's palette (shared UI.md).
export const DOCS_INIT_JS = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  operationsSorter: 'alpha',
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
  validatorUrl: null,
});
`;

const BG = '#0b1320';
const PANEL = '#111b2a';
const BORDER = '#223047';
const TEXT = '#e6edf6';
const MUTED = '#8fa3bf';
const TEAL = '#2dd4bf';

export const DOCS_THEME_CSS = `
html, body { background: ${BG}; color: ${TEXT}; margin: 0; }
body, .swagger-ui, .swagger-ui .info .title, .swagger-ui .opblock-tag, .swagger-ui .opblock .opblock-summary-description,
.swagger-ui .model-title, .swagger-ui table thead tr th, .swagger-ui .parameter__name, .swagger-ui .response-col_status {
  font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif;
}
.tw-head { display: flex; gap: 16px; align-items: baseline; padding: 14px 24px; background: ${PANEL}; border-bottom: 1px solid ${BORDER}; }
.tw-head strong { font-size: 18px; color: ${TEXT}; }
.tw-head span { color: ${MUTED}; font-size: 14px; }
.tw-head a { color: ${TEAL}; }
.swagger-ui { color: ${TEXT}; }
.swagger-ui .info .title, .swagger-ui .info h1, .swagger-ui .info h2, .swagger-ui .info h3, .swagger-ui .info p, .swagger-ui .info li,
.swagger-ui .opblock-tag, .swagger-ui .opblock-tag small, .swagger-ui .opblock .opblock-summary-path, .swagger-ui .opblock .opblock-summary-description,
.swagger-ui .opblock-description-wrapper p, .swagger-ui .opblock-section-header h4, .swagger-ui .parameter__name, .swagger-ui .parameter__type,
.swagger-ui .parameter__in, .swagger-ui table thead tr th, .swagger-ui table thead tr td, .swagger-ui .response-col_status, .swagger-ui .response-col_description,
.swagger-ui .response-col_links, .swagger-ui .responses-inner h4, .swagger-ui .responses-inner h5, .swagger-ui .tab li, .swagger-ui .model, .swagger-ui .model-title,
.swagger-ui .prop-type, .swagger-ui .prop-format, .swagger-ui section.models h4, .swagger-ui .markdown p, .swagger-ui .markdown code, .swagger-ui .renderedMarkdown p,
.swagger-ui label, .swagger-ui .btn, .swagger-ui .scheme-container .schemes-title, .swagger-ui .opblock-summary-operation-id, .swagger-ui .model-toggle:after { color: ${TEXT}; }
.swagger-ui .info a, .swagger-ui a.nostyle, .swagger-ui .info .link { color: ${TEAL}; }
.swagger-ui .scheme-container, .swagger-ui .opblock .opblock-section-header { background: ${PANEL}; box-shadow: none; border-bottom: 1px solid ${BORDER}; }
.swagger-ui .opblock-tag { border-bottom: 1px solid ${BORDER}; }
.swagger-ui .opblock { background: ${PANEL}; border-color: ${BORDER}; box-shadow: none; }
.swagger-ui .opblock .opblock-summary { border-color: ${BORDER}; }
.swagger-ui .opblock.opblock-get { background: rgba(96, 165, 250, 0.08); border-color: #60a5fa; }
.swagger-ui .opblock.opblock-post { background: rgba(45, 212, 191, 0.08); border-color: ${TEAL}; }
.swagger-ui .opblock.opblock-delete { background: rgba(239, 68, 68, 0.08); border-color: #ef4444; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #0f9f8c; }
.swagger-ui .opblock-body, .swagger-ui .opblock-description-wrapper, .swagger-ui .opblock-external-docs-wrapper, .swagger-ui .opblock-title_normal { background: transparent; }
.swagger-ui table.model tbody tr td, .swagger-ui .parameters-col_description input, .swagger-ui select, .swagger-ui input[type=text], .swagger-ui textarea {
  background: ${BG}; color: ${TEXT}; border-color: ${BORDER};
}
.swagger-ui section.models { border-color: ${BORDER}; }
.swagger-ui section.models .model-container { background: ${PANEL}; }
.swagger-ui .model-box, .swagger-ui .highlight-code, .swagger-ui .microlight { background: ${BG} !important; }
.swagger-ui svg:not(:root) { fill: ${MUTED}; }
.swagger-ui .topbar { display: none; }
.swagger-ui .tab li button.tablinks, .swagger-ui .opblock .opblock-section-header h4, .swagger-ui .opblock .opblock-section-header label { color: ${TEXT}; }
.swagger-ui .markdown code, .swagger-ui .renderedMarkdown code, .swagger-ui .info code { color: ${TEAL}; background: ${BG}; }
.swagger-ui .response-col_links, .swagger-ui .response-control-media-type__title { color: ${MUTED}; }
`;
