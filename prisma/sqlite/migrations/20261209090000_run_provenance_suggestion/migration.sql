-- AlterTable
ALTER TABLE "Run" ADD COLUMN "provenance" JSONB;
ALTER TABLE "Run" ADD COLUMN "suggestion" JSONB;
