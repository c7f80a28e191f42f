-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "provenance" JSONB,
ADD COLUMN     "suggestion" JSONB;
