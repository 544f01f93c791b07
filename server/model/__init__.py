"""The module model: a document's chunks with their imports, qualified names, bindings and call indexes."""
