-- Where a request came from: the `Host` it named and the client's address, for
-- the denials the extractor records (a malformed host, an unknown tenant, a
-- non-member) and for any event an application tags with its request.
ALTER TABLE audit_events ADD COLUMN host TEXT;
ALTER TABLE audit_events ADD COLUMN client_addr TEXT;
