/**
 * The parts of the OpenAPI 3.1 object model this project writes. Kept small on
 * purpose: the merged document is checked against the official 3.1 schema in
 * the tests, so these types only need to steer authors, not to be complete.
 */
export type JsonSchema = Record<string, unknown>;

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  description?: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface MediaType {
  schema?: JsonSchema;
  example?: unknown;
}

export interface RequestBody {
  description?: string;
  required?: boolean;
  content: Record<string, MediaType>;
}

export interface Response {
  description: string;
  headers?: Record<string, { description?: string; schema: JsonSchema }>;
  content?: Record<string, MediaType>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses: Record<string, Response>;
  /** `[]` = no token; omitted = the document default (bearer access token). */
  security?: SecurityRequirement[];
}

export type PathItem = Partial<Record<HttpMethod, Operation>>;

export interface Tag {
  name: string;
  description?: string;
}

/** A WebSocket endpoint: OpenAPI has no way to say this, so it goes in `x-websockets`. */
export interface WebSocketEndpoint {
  path: string;
  protocol: string;
  description: string;
  query?: Record<string, string>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
  tags: Tag[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
  security: SecurityRequirement[];
  'x-websockets'?: WebSocketEndpoint[];
}
