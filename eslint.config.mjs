// ESLint's rules for the dashboard strategy; scripts/test runs ESLint with
// this file. The rules are listed here rather than imported, so that the
// config needs nothing beside ESLint itself.
export default [
  {
    files: ["custom_components/tracker_stats/frontend/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // What a browser page of Home Assistant's frontend offers; nothing else.
      globals: {
        customElements: "readonly",
        document: "readonly",
        HTMLElement: "readonly",
        window: "readonly",
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "array-callback-return": "error",
      "consistent-return": "error",
      curly: ["error", "multi-line"],
      eqeqeq: "error",
      "max-len": ["error", { code: 120 }],
      "no-const-assign": "error",
      "no-dupe-keys": "error",
      "no-duplicate-case": "error",
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-redeclare": "error",
      "no-restricted-syntax": [
        "error",
        { selector: "ImportDeclaration, ImportExpression", message: "The strategy loads nothing." },
        { selector: "CallExpression[callee.name='fetch']", message: "The strategy loads nothing." },
      ],
      "no-self-compare": "error",
      "no-shadow": "error",
      "no-undef": "error",
      "no-unreachable": "error",
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_" }],
      "no-use-before-define": ["error", { functions: false }],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
];
