// graphql-codegen for the app's data layer: TypeScript types of every operation in operations/,
// with the server's custom scalars mapped to what travels in JSON. `strictScalars` makes codegen
// fail on a scalar without a mapping, so no field is ever typed `unknown` or `any`.
//   npx graphql-codegen --config path/to/mobile-contract/codegen.ts
// Paths are the contract's own, wherever codegen runs from; CODEGEN_OUT names the output file
// (default: src/graphql/generated.ts of the project running codegen).
import type { CodegenConfig } from "@graphql-codegen/cli";
import { fileURLToPath } from "node:url";

const contract = fileURLToPath(new URL(".", import.meta.url));

const config: CodegenConfig = {
  schema: contract + "schema.graphql",
  documents: [contract + "operations/*.graphql", contract + "fragments/*.graphql"],
  generates: {
    [process.env.CODEGEN_OUT ?? "src/graphql/generated.ts"]: {
      plugins: ["typescript-operations"],
      config: {
        strictScalars: true,
        scalars: {
          ID: "string",
          // A calendar date, ISO-8601, e.g. "2026-12-01" (fee periods and due dates)
          Date: "string",
          // ISO-8601 UTC, e.g. "2026-11-23T02:00:00+00:00"
          DateTime: "string",
          // Fixed-point decimals travel as strings ("61.5", "12.90") so nothing is rounded.
          Decimal: "string",
          // Input only: a file part of a GraphQL multipart request (apollo-upload-client, urql).
          Upload: "Blob",
        },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        nonOptionalTypename: true,
      },
    },
  },
};

export default config;
