-- Data only, no schema change (the status column is free text). Since issue #21 a run that the
-- sweep's early-stopping rule ended has its own status, stopped, instead of cancelled with the
-- error code RUN.EARLY_STOPPED (docs/architecture.md §4). Rows the recorder wrote before are
-- converted here, once, keeping the code and the rule's message as the reason.
-- (No semicolon in these comments: the migration runner splits the script on them.)
UPDATE "Run" SET "status" = 'stopped' WHERE "status" = 'cancelled' AND "errorCode" = 'RUN.EARLY_STOPPED';
