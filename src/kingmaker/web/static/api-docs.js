// Starts Swagger UI (served by this app from the swagger-ui-bundle package) on the API schema.
"use strict";
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  syntaxHighlight: false,
  validatorUrl: null,
});
