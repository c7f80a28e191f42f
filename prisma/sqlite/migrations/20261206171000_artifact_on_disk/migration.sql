-- AlterTable
ALTER TABLE "Artifact" ADD COLUMN "removedAt" DATETIME;
ALTER TABLE "Artifact" ADD COLUMN "selection" JSONB;
