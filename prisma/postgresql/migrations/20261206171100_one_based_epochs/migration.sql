-- Data only, no schema change. Epochs count from 1 in every event, row and view since
-- 2026-12-06 (docs/architecture.md §6). Rows the 0-based trainers wrote are renumbered here,
-- once: evaluations, metric points, checkpoint artifacts and each run's last epoch get 1 added.
-- `resumed_at_epoch` already recorded a count of completed epochs at that count, so it stays.
-- Checkpoint files those trainers deleted (checkpoint.keepLast) were never reported: all but a
-- run's newest keepLast epoch files are marked removed, and best.ckpt, which they kept beside
-- them (checkpoint.keepBest) chosen by top-1 on the test set, gets its own row.
-- (No semicolon in these comments: the migration runner splits the script on them.)
UPDATE "Evaluation" SET "epoch" = -("epoch" + 1);
UPDATE "Evaluation" SET "epoch" = -"epoch";
UPDATE "MetricPoint" SET "epoch" = "epoch" + 1 WHERE "name" <> 'resumed_at_epoch';
UPDATE "Artifact" SET "epoch" = "epoch" + 1 WHERE "epoch" IS NOT NULL;
UPDATE "Run" SET "lastEpoch" = "lastEpoch" + 1 WHERE "lastEpoch" IS NOT NULL;
UPDATE "Artifact" SET "removedAt" = CURRENT_TIMESTAMP
WHERE "removedAt" IS NULL AND ("runId", "path") IN (
    SELECT a."runId", a."path"
    FROM (
        SELECT "runId", "path", ROW_NUMBER() OVER (PARTITION BY "runId" ORDER BY "epoch" DESC) AS "newest"
        FROM "Artifact"
        WHERE "kind" IN ('checkpoint', 'best-checkpoint') AND "path" LIKE '%epoch-_____.ckpt'
    ) AS a
    JOIN "Run" AS r ON r."id" = a."runId"
    WHERE a."newest" > COALESCE((r."config" -> 'checkpoint' ->> 'keepLast')::INTEGER, 2)
);
INSERT INTO "Artifact" ("runId", "path", "kind", "epoch", "sizeBytes", "sha256", "selection", "createdAt")
SELECT a."runId", substr(a."path", 1, length(a."path") - 16) || 'best.ckpt', 'best-checkpoint', a."epoch",
    a."sizeBytes", a."sha256",
    jsonb_build_object('metric', 'top1', 'split', 'test', 'mode', 'max', 'value', e."top1"), a."createdAt"
FROM "Artifact" AS a
JOIN "Run" AS r ON r."id" = a."runId"
LEFT JOIN "Evaluation" AS e ON e."runId" = a."runId" AND e."split" = 'test' AND e."epoch" = a."epoch"
WHERE a."kind" = 'best-checkpoint' AND a."path" LIKE '%epoch-_____.ckpt'
    AND COALESCE((r."config" -> 'checkpoint' ->> 'keepBest')::BOOLEAN, TRUE)
    AND a."epoch" = (SELECT MAX(b."epoch") FROM "Artifact" AS b WHERE b."runId" = a."runId" AND b."kind" = 'best-checkpoint')
ON CONFLICT DO NOTHING;
UPDATE "Artifact" SET "kind" = 'checkpoint' WHERE "kind" = 'best-checkpoint' AND "path" LIKE '%epoch-_____.ckpt';
