import { AppError } from "@/server/errors";
import { errorResponse } from "@/server/http/route";

// Any /api path no route file claims: a JSON 404 in the API's error shape
// rather than the HTML not-found page.
const notFound = async (request: Request) =>
  errorResponse(new AppError("NOT_FOUND", `There is no API at ${new URL(request.url).pathname}. See /api/openapi.json.`));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
